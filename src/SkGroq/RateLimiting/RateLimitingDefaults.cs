namespace SkGroq.RateLimiting;

/// <summary>Default values of <see cref="RateLimitingOptions"/>.</summary>
internal static class RateLimitingDefaults
{
    /// <summary>The most requests that may wait for quota per organization and model.</summary>
    public const int MaxQueueLength = 1_000;

    /// <summary>
    /// The completion tokens first reserved for a request that sets no <c>max_tokens</c>/<c>max_completion_tokens</c>.
    /// Groq does not document its own reservation in that case; it is evidently not the model's maximum, because small
    /// requests without max tokens pass on 6K-TPM plans, and a 429's "Requested" shows what it counted.
    /// </summary>
    public const int DefaultMaxTokensReservation = 1_024;
}
