namespace SkGroq.Errors;

/// <summary>A rate limit stopped the request: Groq's 429, or the local queue's deadline or length.</summary>
public sealed class GroqRateLimitException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => Reason switch
    {
        GroqRateLimitReason.RateLimitTimeout => "rate_limit_timeout",
        GroqRateLimitReason.QueueFull => "queue_full",
        GroqRateLimitReason.TenantBudgetSpent => "tenant_budget_exceeded",
        _ => "rate_limited",
    };

    /// <inheritdoc />
    public override bool IsTransient => Reason == GroqRateLimitReason.ServerRejected && !Limit.IsDaily();

    /// <summary>Gets why the request met the limit.</summary>
    public GroqRateLimitReason Reason { get; init; }

    /// <summary>Gets the limit that bound.</summary>
    public GroqLimitKind Limit { get; init; }

    /// <summary>Gets the value of that limit, when known.</summary>
    public long? LimitValue { get; init; }

    /// <summary>Gets the amount already used, when known.</summary>
    public long? Used { get; init; }

    /// <summary>Gets the amount the request asked for, when known.</summary>
    public long? Requested { get; init; }

    /// <summary>Gets when the limit frees enough for the request, when known.</summary>
    public DateTimeOffset? FreesAt { get; init; }

    /// <summary>Gets how long until the limit frees: the server's hint, or the local queue's computation.</summary>
    public override TimeSpan? RetryAfter => Wait ?? Details.RetryAfter;

    /// <summary>Gets the wait computed from the message ("try again in") or by the local queue, when known.</summary>
    public TimeSpan? Wait { get; init; }
}
