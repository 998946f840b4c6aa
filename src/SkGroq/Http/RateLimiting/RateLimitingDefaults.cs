namespace SkGroq.Http.RateLimiting;

/// <summary>Default values of <see cref="RateLimitingOptions"/>.</summary>
public static class RateLimitingDefaults
{
    /// <summary>The most requests that may wait for quota per organization and model.</summary>
    public const int MaxQueueLength = 1_000;

    /// <summary>
    /// The completion tokens reserved for a request that sets no <c>max_tokens</c>/<c>max_completion_tokens</c>.
    /// Groq's own reservation in that case is not documented (../shared/groq-api.md §5.3, UNCONFIRMED); it is evidently not the
    /// model's maximum, because small requests without max tokens pass on 6K-TPM plans.
    /// </summary>
    public const int DefaultMaxTokensReservation = 1_024;
}
