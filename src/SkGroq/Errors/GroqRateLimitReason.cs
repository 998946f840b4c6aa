namespace SkGroq.Errors;

/// <summary>Why a request met a rate limit.</summary>
public enum GroqRateLimitReason
{
    /// <summary>Groq answered 429.</summary>
    ServerRejected,

    /// <summary>The local queue could not admit the request before its deadline (the <c>RateLimitTimeout</c> error).</summary>
    RateLimitTimeout,

    /// <summary>The local queue was full.</summary>
    QueueFull,

    /// <summary>The tenant spent its daily token budget (<c>Groq:RateLimiting:TenantDailyTokenBudget</c>).</summary>
    TenantBudgetSpent,
}
