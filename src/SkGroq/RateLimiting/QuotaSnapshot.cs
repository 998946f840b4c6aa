namespace SkGroq.RateLimiting;

/// <summary>The quota of one organization and model at one moment, for status displays and tests.</summary>
/// <param name="RequestsPerMinute">RPM.</param>
/// <param name="RequestsPerDay">RPD.</param>
/// <param name="TokensPerMinute">TPM.</param>
/// <param name="TokensPerDay">TPD.</param>
/// <param name="PausedFor">How long admissions stay paused after a server 429; zero when not paused.</param>
/// <param name="InFlightRequests">Reservations held and not yet settled or released.</param>
/// <param name="InFlightTokens">Their tokens.</param>
internal readonly record struct QuotaSnapshot(
    QuotaLevel RequestsPerMinute,
    QuotaLevel RequestsPerDay,
    QuotaLevel TokensPerMinute,
    QuotaLevel TokensPerDay,
    TimeSpan PausedFor,
    int InFlightRequests,
    long InFlightTokens);
