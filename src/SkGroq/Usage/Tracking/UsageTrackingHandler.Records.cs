using SkGroq.Http;

namespace SkGroq.Usage.Tracking;

/// <content>How a record is made from what the pipeline learnt.</content>
internal sealed partial class UsageTrackingHandler
{
    private UsageRecord Failed(GroqRequestInfo info, UsageOutcome outcome, string errorKind, string? requestId)
        => Base(info, TimeProvider.GetTimestamp()) with
        {
            RequestId = requestId,
            Outcome = outcome,
            ErrorKind = errorKind,
            Cost = UsageCost.Compute(_catalog, info.Model, null, outcome, cacheHit: false),
        };

    private UsageRecord Succeeded(GroqRequestInfo info, ResponseObservation? observation, ResponseOutcome? outcome, bool cacheHit, bool stale)
    {
        long end = outcome?.EndTimestamp ?? TimeProvider.GetTimestamp();
        (UsageOutcome kind, string? errorKind) = outcome?.Kind switch
        {
            null or ResponseEndKind.Completed => (UsageOutcome.Ok, (string?)null),
            ResponseEndKind.Cancelled => (UsageOutcome.Incomplete, "cancelled"),
            ResponseEndKind.Abandoned => (UsageOutcome.Incomplete, "abandoned"),
            _ => (UsageOutcome.Incomplete, (outcome.Error as Errors.GroqException)?.Kind ?? "stream_failed"),
        };
        string? modelAnswered = outcome?.ModelAnswered ?? info.Model;
        TimeSpan? ttft = outcome?.FirstTokenTimestamp is { } first ? TimeProvider.GetElapsedTime(info.StartTimestamp, first) : null;
        UsageRecord record = Base(info, end) with
        {
            ModelAnswered = modelAnswered,
            RequestId = outcome?.RequestId ?? observation?.RequestId,
            Usage = outcome?.Usage,
            CompletionChunks = outcome?.ContentChunks ?? 0,
            FinishReason = outcome?.FinishReason,
            CacheHit = cacheHit,
            Stale = stale,
            Outcome = kind,
            ErrorKind = errorKind,
            TimeToFirstToken = ttft,
            Cost = UsageCost.Compute(_catalog, modelAnswered, outcome?.Usage, kind, cacheHit),
        };
        return record with { TokensPerSecond = TokensPerSecond(record, outcome, end) };
    }

    private UsageRecord Base(GroqRequestInfo info, long end) => new()
    {
        Timestamp = info.Timestamp,
        ModelRequested = info.OriginalModel ?? info.Model ?? "(unknown)",
        FallbackReason = info.FallbackReason,
        Organization = _organization,
        ConversationId = info.Context.ConversationId,
        TenantId = info.Context.TenantId,
        Feature = info.Context.Feature,
        Streaming = info.Stream,
        EstimatedPromptTokens = info.EstimatedPromptTokens,
        Attempts = info.Attempts,
        QueueWait = info.QueueWait,
        Duration = TimeProvider.GetElapsedTime(info.StartTimestamp, end),
    };

    /// <summary>
    /// Completion tokens per second as the client saw them: over the time from first to last chunk for streams, over the whole
    /// call otherwise; <see langword="null"/> without usage or an interval to divide by.
    /// </summary>
    private TimeSpan? GenerationTime(UsageRecord record, ResponseOutcome? outcome, long end)
        => record.Streaming && outcome?.FirstTokenTimestamp is { } first ? TimeProvider.GetElapsedTime(first, end) : record.Duration;

    private double? TokensPerSecond(UsageRecord record, ResponseOutcome? outcome, long end)
        => record.Usage is { CompletionTokens: > 0 } usage && !record.CacheHit && GenerationTime(record, outcome, end) is { TotalSeconds: > 0 } time
            ? usage.CompletionTokens / time.TotalSeconds
            : null;
}
