namespace SkGroq.Http;

/// <summary>
/// What the pipeline learns about the successful response a request is answered with: the response-inspection handler's
/// observation of the attempt that succeeded, or the response cache's of the answer it served. Set on
/// <see cref="GroqRequestInfo.Observation"/>; handlers above (rate limiter, cache, usage tracker) register a
/// <see cref="ResponseObserver"/> there to settle, store and record once the body ended.
/// </summary>
/// <remarks>
/// The observation completes exactly once: when the body was read to its end, failed, was cancelled, or the response was
/// disposed unread. Observers run on the thread that completes it, in the order they were registered. It holds no lock,
/// task or list while the body is read: the observers form a chain, swapped for a sentinel when the body ends.
/// </remarks>
internal sealed class ResponseObservation
{
    private static readonly ResponseObserver s_ended = new EndedMarker();

    private ResponseOutcome? _outcome;
    private ResponseObserver? _observers;
    private TaskCompletionSource<ResponseOutcome>? _completion;
    private int _observed;

    /// <summary>Initializes a new instance of the <see cref="ResponseObservation"/> class.</summary>
    /// <param name="requestId">Groq's request id from <c>x-request-id</c>.</param>
    /// <param name="streaming">Whether the body is an SSE stream.</param>
    /// <param name="headersTimestamp">The <see cref="TimeProvider.GetTimestamp"/> reading when the headers arrived.</param>
    public ResponseObservation(string? requestId, bool streaming, long headersTimestamp)
    {
        RequestId = requestId;
        Streaming = streaming;
        HeadersTimestamp = headersTimestamp;
    }

    /// <summary>Gets Groq's request id.</summary>
    public string? RequestId { get; }

    /// <summary>Gets a value indicating whether the body is an SSE stream.</summary>
    public bool Streaming { get; }

    /// <summary>Gets when the headers arrived.</summary>
    public long HeadersTimestamp { get; }

    /// <summary>Gets a value indicating whether the body ended.</summary>
    public bool IsCompleted => Volatile.Read(ref _outcome) is not null;

    /// <summary>
    /// Gets a task for the outcome that completes once the body ended and the observers ran; it never faults and its
    /// continuations run asynchronously. Made on first use: the pipeline itself registers observers instead.
    /// </summary>
    public Task<ResponseOutcome> Completion
    {
        get
        {
            if (Volatile.Read(ref _observed) != 0)
            {
                return Volatile.Read(ref _completion)?.Task ?? Task.FromResult(_outcome!);
            }

            TaskCompletionSource<ResponseOutcome>? completion = Volatile.Read(ref _completion);
            if (completion is null)
            {
                var created = new TaskCompletionSource<ResponseOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                completion = Interlocked.CompareExchange(ref _completion, created, null) ?? created;
            }

            // Ended between the check above and the exchange: the completing thread may have looked for no task.
            if (Volatile.Read(ref _observed) != 0)
            {
                completion.TrySetResult(_outcome!);
            }

            return completion.Task;
        }
    }

    /// <summary>Gets the outcome when the body already ended.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns><see langword="true"/> when the body ended.</returns>
    public bool TryGetOutcome(out ResponseOutcome outcome)
    {
        outcome = Volatile.Read(ref _outcome)!;
        return outcome is not null;
    }

    /// <summary>
    /// Runs <paramref name="observer"/> synchronously when the body ends — on the thread that ends it, before the read that
    /// ended it returns to the caller — or at once if it already ended. What must be visible as soon as the caller has the
    /// whole answer (the usage record in the ambient scope) belongs here.
    /// </summary>
    /// <param name="observer">An observer not registered anywhere else.</param>
    public void OnCompleted(ResponseObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ResponseObserver? head = Volatile.Read(ref _observers);
        while (!ReferenceEquals(head, s_ended))
        {
            observer.Previous = head;
            ResponseObserver? seen = Interlocked.CompareExchange(ref _observers, observer, head);
            if (ReferenceEquals(seen, head))
            {
                return;
            }

            head = seen;
        }

        observer.OnCompleted(_outcome!);
    }

    /// <summary>Runs <paramref name="callback"/> when the body ends, or at once if it already ended (see <see cref="OnCompleted(ResponseObserver)"/>).</summary>
    /// <param name="callback">Cheap, non-blocking work that does not throw.</param>
    public void OnCompleted(Action<ResponseOutcome> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        OnCompleted(new CallbackObserver(callback));
    }

    /// <summary>Completes the observation; later calls are ignored, so the first ending wins. Runs the observers first.</summary>
    /// <param name="outcome">How the body ended.</param>
    /// <returns><see langword="true"/> when this call completed it.</returns>
    public bool TryComplete(ResponseOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (Interlocked.CompareExchange(ref _outcome, outcome, null) is not null)
        {
            return false;
        }

        // Registered last is first in the chain: reversed, they run in the order they were registered.
        ResponseObserver? chain = Interlocked.Exchange(ref _observers, s_ended);
        ResponseObserver? ordered = null;
        while (chain is not null)
        {
            ResponseObserver? previous = chain.Previous;
            chain.Previous = ordered;
            ordered = chain;
            chain = previous;
        }

        for (ResponseObserver? observer = ordered; observer is not null; observer = observer.Previous)
        {
            observer.OnCompleted(outcome);
        }

        // A full fence: a task made concurrently is either seen here or sees the end itself.
        Interlocked.Exchange(ref _observed, 1);
        Volatile.Read(ref _completion)?.TrySetResult(outcome);
        return true;
    }

    private sealed class CallbackObserver(Action<ResponseOutcome> callback) : ResponseObserver
    {
        public override void OnCompleted(ResponseOutcome outcome) => callback(outcome);
    }

    private sealed class EndedMarker : ResponseObserver
    {
        public override void OnCompleted(ResponseOutcome outcome)
        {
        }
    }
}
