using System.Text.Json.Serialization;

namespace SkGroq.Console.Stress;

/// <summary>The outcome of <c>stress rate-limit</c> (snake_case in JSON: <c>requests, succeeded, failed, failures_by_kind, server_429s, retries, fallbacks, cache_hits, queue_wait_ms, tokens_per_minute, tpm_limit</c> …).</summary>
/// <param name="Model">The model.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="Concurrency">Requests at once.</param>
/// <param name="Succeeded">Requests that got their answer.</param>
/// <param name="Failed">Requests that failed.</param>
/// <param name="FailuresByKind">Failures by <c>GroqException.Kind</c> (e.g. <c>rate_limited</c>, <c>rate_limit_timeout</c>).</param>
/// <param name="Server429s">429 answers the server sent (each paused the model and, with a retrying layer above, was retried).</param>
/// <param name="Retries">Attempts beyond the first, as the limiter admitted them.</param>
/// <param name="Fallbacks">Requests answered by another model of the fallback chain.</param>
/// <param name="CacheHits">Requests answered from the response cache.</param>
/// <param name="QueueWaitMs">Time attempts waited for quota in the local queue, percentiles in milliseconds.</param>
/// <param name="Tokens">Tokens Groq counted for the successful requests (prompt + completion − cached).</param>
/// <param name="ElapsedSeconds">Duration of the run.</param>
/// <param name="TokensPerMinute">Tokens per minute over the run (<see cref="Tokens"/> / elapsed minutes).</param>
/// <param name="SustainedTokensPerMinute">Tokens per minute beyond the first full bucket ((tokens − TPM limit) / elapsed minutes): the rate the limit's refill sustained. Short runs overstate <see cref="TokensPerMinute"/> by the initial burst.</param>
/// <param name="TpmLimit">The tokens/minute limit of the model (catalog, for the configured plan), when known.</param>
internal sealed record RateLimitStressReport(
    string Model,
    int Requests,
    int Concurrency,
    int Succeeded,
    int Failed,
    IReadOnlyDictionary<string, int> FailuresByKind,
    [property: JsonPropertyName("server_429s")] long Server429s,
    long Retries,
    int Fallbacks,
    int CacheHits,
    QueueWaitPercentiles QueueWaitMs,
    long Tokens,
    double ElapsedSeconds,
    double TokensPerMinute,
    double SustainedTokensPerMinute,
    long? TpmLimit);

/// <summary>Percentiles of the queue wait, in milliseconds.</summary>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
internal sealed record QueueWaitPercentiles(double P50, double P95, double P99);
