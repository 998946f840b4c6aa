using SkGroq.Errors;

namespace SkGroq.Http;

/// <summary>
/// What the pipeline learns about the successful response a request is answered with: the response-inspection handler's
/// observation of the attempt that succeeded, or the response cache's of the answer it served. Set on
/// <see cref="GroqRequestInfo.Observation"/>; handlers above (rate limiter, cache, usage tracker) read it there and await
/// <see cref="Completion"/> to settle, store and record once the body ended.
/// </summary>
/// <remarks>
/// <see cref="Completion"/> never faults and completes exactly once: when the body was read to its end, failed, was cancelled,
/// or the response was disposed unread. Continuations run asynchronously.
/// </remarks>
internal sealed class ResponseObservation
{
    private readonly TaskCompletionSource<ResponseOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private List<Action<ResponseOutcome>>? _callbacks;

    /// <summary>Initializes a new instance of the <see cref="ResponseObservation"/> class.</summary>
    /// <param name="requestId">Groq's request id from <c>x-request-id</c>.</param>
    /// <param name="rateLimits">The <c>x-ratelimit-*</c> headers.</param>
    /// <param name="streaming">Whether the body is an SSE stream.</param>
    /// <param name="headersTimestamp">The <see cref="TimeProvider.GetTimestamp"/> reading when the headers arrived.</param>
    public ResponseObservation(string? requestId, GroqRateLimitHeaders? rateLimits, bool streaming, long headersTimestamp)
    {
        RequestId = requestId;
        RateLimits = rateLimits;
        Streaming = streaming;
        HeadersTimestamp = headersTimestamp;
    }

    /// <summary>Gets Groq's request id.</summary>
    public string? RequestId { get; }

    /// <summary>Gets the rate-limit headers of the response.</summary>
    public GroqRateLimitHeaders? RateLimits { get; }

    /// <summary>Gets a value indicating whether the body is an SSE stream.</summary>
    public bool Streaming { get; }

    /// <summary>Gets when the headers arrived.</summary>
    public long HeadersTimestamp { get; }

    /// <summary>Gets the outcome, once the body ended.</summary>
    public Task<ResponseOutcome> Completion => _completion.Task;

    /// <summary>
    /// Runs <paramref name="callback"/> synchronously when the body ends — on the thread that ends it, before the read that
    /// ended it returns to the caller — or at once if it already ended. What must be visible as soon as the caller has the
    /// whole answer (the usage record in the ambient scope) belongs here; slower work belongs on <see cref="Completion"/>.
    /// </summary>
    /// <param name="callback">Cheap, non-blocking work that does not throw.</param>
    public void OnCompleted(Action<ResponseOutcome> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_lock)
        {
            if (!_completion.Task.IsCompleted)
            {
                (_callbacks ??= []).Add(callback);
                return;
            }
        }

        callback(_completion.Task.Result);
    }

    /// <summary>Completes the observation; later calls are ignored, so the first ending wins. Runs the <see cref="OnCompleted"/> callbacks first.</summary>
    /// <param name="outcome">How the body ended.</param>
    /// <returns><see langword="true"/> when this call completed it.</returns>
    public bool TryComplete(ResponseOutcome outcome)
    {
        List<Action<ResponseOutcome>>? callbacks;
        lock (_lock)
        {
            if (!_completion.TrySetResult(outcome))
            {
                return false;
            }

            callbacks = _callbacks;
            _callbacks = null;
        }

        foreach (Action<ResponseOutcome> callback in callbacks ?? [])
        {
            callback(outcome);
        }

        return true;
    }
}
