using SkGroq.Caching.Conversion;
using SkGroq.Caching.Stores;
using SkGroq.Http;

namespace SkGroq.Caching;

/// <summary>
/// The observation of an answer served from the cache, made from the stored answer's <see cref="ReplayFacts"/> instead of a
/// second read of its bytes: complete at once for JSON, completed by the replay for a stream — when its reader reaches
/// <c>[DONE]</c>, stops, or leaves — with what that reader received.
/// </summary>
internal sealed class ReplayObservation : IReplayListener
{
    private readonly ReplayFacts _facts;
    private readonly TimeProvider _timeProvider;
    private long? _firstContentTimestamp;

    private ReplayObservation(ResponseObservation observation, ReplayFacts facts, TimeProvider timeProvider)
    {
        Observation = observation;
        _facts = facts;
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the observation the request's handlers read.</summary>
    public ResponseObservation Observation { get; }

    /// <summary>Observes a JSON answer, complete as it is served.</summary>
    /// <param name="facts">What the stored body says.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The completed observation.</returns>
    public static ResponseObservation Json(ReplayFacts facts, TimeProvider timeProvider)
    {
        long now = timeProvider.GetTimestamp();
        var observation = new ResponseObservation(requestId: null, streaming: false, now);
        observation.TryComplete(Outcome(facts, ResponseEndKind.Completed, facts.Frames, facts.FirstContentFrame == 0 ? now : null, now));
        return observation;
    }

    /// <summary>Observes a stream replay; pass the result to the <see cref="SseReplayStream"/> as its listener.</summary>
    /// <param name="facts">What the replayed payloads say, frame by frame.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The listener, whose <see cref="Observation"/> completes when the replay ends.</returns>
    public static ReplayObservation Stream(ReplayFacts facts, TimeProvider timeProvider)
        => new(new ResponseObservation(requestId: null, streaming: true, timeProvider.GetTimestamp()), facts, timeProvider);

    /// <inheritdoc />
    public void FrameRead(int frames)
    {
        if (frames - 1 == _facts.FirstContentFrame)
        {
            _firstContentTimestamp = _timeProvider.GetTimestamp();
        }
    }

    /// <inheritdoc />
    public void Ended(ReplayEnd end, int frames)
    {
        ResponseEndKind kind = end switch
        {
            ReplayEnd.Completed => ResponseEndKind.Completed,
            ReplayEnd.Cancelled => ResponseEndKind.Cancelled,
            _ => ResponseEndKind.Abandoned,
        };
        Observation.TryComplete(Outcome(_facts, kind, frames, _firstContentTimestamp, _timeProvider.GetTimestamp()));
    }

    /// <summary>What a reader that received the first <paramref name="frames"/> frames was told, as the inspection tap would report it.</summary>
    private static ResponseOutcome Outcome(ReplayFacts facts, ResponseEndKind kind, int frames, long? firstContentTimestamp, long endTimestamp)
        => new(
            kind,
            facts.UsageAfter(frames),
            facts.ModelAfter(frames),
            facts.FinishReasonAfter(frames),
            facts.ContentChunks(frames),
            firstContentTimestamp,
            endTimestamp,
            null)
        {
            RequestId = facts.RequestIdAfter(frames),
        };
}
