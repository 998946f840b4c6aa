using SkGroq.Errors;
namespace SkGroq.RateLimiting.Redis;

/// <summary>One number for each of the four limits of a model (limits, or amounts used).</summary>
/// <param name="RequestsPerMinute">RPM.</param>
/// <param name="RequestsPerDay">RPD.</param>
/// <param name="TokensPerMinute">TPM.</param>
/// <param name="TokensPerDay">TPD.</param>
internal readonly record struct QuotaFigures(long RequestsPerMinute, long RequestsPerDay, long TokensPerMinute, long TokensPerDay)
{
    /// <summary>Gets the figure of one limit; 0 for any other kind.</summary>
    /// <param name="kind">The limit.</param>
    /// <returns>The figure.</returns>
    public long this[GroqLimitKind kind] => kind switch
    {
        GroqLimitKind.RequestsPerMinute => RequestsPerMinute,
        GroqLimitKind.RequestsPerDay => RequestsPerDay,
        GroqLimitKind.TokensPerMinute => TokensPerMinute,
        GroqLimitKind.TokensPerDay => TokensPerDay,
        _ => 0,
    };
}
