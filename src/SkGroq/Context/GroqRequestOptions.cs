namespace SkGroq.Context;

/// <summary>Per-request settings carried by the ambient <see cref="GroqRequestContext"/>.</summary>
public sealed record GroqRequestOptions
{
    /// <summary>Gets the conversation the request belongs to; tags its usage record.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Gets the tenant the request is made for; tags its usage record.</summary>
    public string? TenantId { get; init; }

    /// <summary>Gets the feature the request serves (e.g. <c>chat</c>, <c>summarize</c>); tags usage and calibrates token estimates per feature.</summary>
    public string? Feature { get; init; }

    /// <summary>Gets the queue priority.</summary>
    /// <value>The default is <see cref="GroqPriority.Interactive"/>.</value>
    public GroqPriority Priority { get; init; } = GroqPriority.Interactive;

    /// <summary>Gets the deadline of each request, measured from when it enters the pipeline: queueing, retries and fallback included.</summary>
    /// <value>The default is <see langword="null"/>: <c>Groq:RequestTimeout</c> applies.</value>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Gets how the response cache treats the request.</summary>
    /// <value>The default is <see cref="GroqCacheMode.Default"/>.</value>
    public GroqCacheMode Cache { get; init; } = GroqCacheMode.Default;

    /// <summary>Gets a receiver of progress reports (queued, retrying, falling back…), e.g. for a live status line.</summary>
    public IProgress<GroqRequestStatus>? Status { get; init; }
}
