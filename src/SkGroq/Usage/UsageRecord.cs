namespace SkGroq.Usage;

/// <summary>The usage record of one request through the pipeline (retries and fallback included): one per call, never two.</summary>
public sealed record UsageRecord
{
    /// <summary>Gets when the request entered the pipeline.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the model the caller asked for.</summary>
    public required string ModelRequested { get; init; }

    /// <summary>Gets the model that answered (differs from <see cref="ModelRequested"/> after a fallback); <see langword="null"/> when none did.</summary>
    public string? ModelAnswered { get; init; }

    /// <summary>Gets why the model fallback left <see cref="ModelRequested"/> (e.g. <c>503 over capacity</c>, <c>circuit open after repeated failures</c>); <see langword="null"/> when no fallback happened.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>Gets Groq's request id (<c>x_groq.id</c> / <c>x-request-id</c>).</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets the organization label (a key fingerprint unless configured; never the key).</summary>
    public string? Organization { get; init; }

    /// <summary>Gets the conversation tag from the ambient context.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Gets the tenant tag from the ambient context.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the feature tag from the ambient context.</summary>
    public string? Feature { get; init; }

    /// <summary>Gets a value indicating whether the answer was streamed.</summary>
    public bool Streaming { get; init; }

    /// <summary>Gets the prompt tokens estimated before sending (the local counter).</summary>
    public long? EstimatedPromptTokens { get; init; }

    /// <summary>Gets the usage Groq reported; <see langword="null"/> when none arrived (errors, incomplete streams).</summary>
    public GroqUsage? Usage { get; init; }

    /// <summary>Gets the number of content chunks received: what is known of an incomplete stream.</summary>
    public int CompletionChunks { get; init; }

    /// <summary>
    /// Gets the completion tokens received before a stream ended early without Groq's usage (stopped, disconnected, failed):
    /// the content chunks received, since Groq sends about one token per content chunk. <see langword="null"/> when Groq
    /// reported the usage or the answer was not an incomplete stream.
    /// </summary>
    public long? ReceivedCompletionTokens => Usage is null && Streaming && Outcome == UsageOutcome.Incomplete ? CompletionChunks : null;

    /// <summary>Gets the finish reason (<c>stop</c>, <c>length</c>, <c>tool_calls</c>).</summary>
    public string? FinishReason { get; init; }

    /// <summary>Gets the cost in US dollars; <see langword="null"/> when the model has no price (unknown, not free).</summary>
    public decimal? Cost { get; init; }

    /// <summary>Gets a value indicating whether the answer came from the response cache (billed tokens are then 0).</summary>
    public bool CacheHit { get; init; }

    /// <summary>Gets a value indicating whether a cached answer was served past its freshness because every model failed.</summary>
    public bool Stale { get; init; }

    /// <summary>Gets how the request ended.</summary>
    public UsageOutcome Outcome { get; init; }

    /// <summary>Gets the kind of error (e.g. <c>rate_limited</c>, <c>server_error</c>, <c>stream_interrupted</c>) when the outcome is not <see cref="UsageOutcome.Ok"/>.</summary>
    public string? ErrorKind { get; init; }

    /// <summary>Gets the number of attempts sent to the server.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the time from entering the pipeline to the first content token.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Gets the time from entering the pipeline to the end of the answer.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the time the request waited in the local queue for quota.</summary>
    public TimeSpan QueueWait { get; init; }

    /// <summary>Gets prompt tokens billed: reported prompt tokens, or 0 for cache hits and requests without reported usage.</summary>
    public long BilledPromptTokens => CacheHit ? 0 : Usage?.PromptTokens ?? 0;

    /// <summary>Gets completion tokens billed: reported completion tokens, or 0 for cache hits and requests without reported usage.</summary>
    public long BilledCompletionTokens => CacheHit ? 0 : Usage?.CompletionTokens ?? 0;

    /// <summary>Gets tokens a cache hit saved (the original answer's total); 0 otherwise.</summary>
    public long TokensSaved => CacheHit ? Usage?.TotalTokens ?? 0 : 0;

    /// <summary>Gets completion tokens per second of generation as seen by the client, when known.</summary>
    public double? TokensPerSecond { get; init; }
}
