namespace SkGroq.Models;

/// <summary>Rate limits of one model for one organization; <see langword="null"/> means not limited (or not known).</summary>
/// <param name="RequestsPerMinute">RPM.</param>
/// <param name="RequestsPerDay">RPD (reported by Groq as <c>x-ratelimit-*-requests</c>).</param>
/// <param name="TokensPerMinute">TPM (reported by Groq as <c>x-ratelimit-*-tokens</c>).</param>
/// <param name="TokensPerDay">TPD.</param>
public readonly record struct ModelLimits(long? RequestsPerMinute, long? RequestsPerDay, long? TokensPerMinute, long? TokensPerDay)
{
    /// <summary>Gets limits that limit nothing.</summary>
    public static ModelLimits None => default;

    /// <summary>Returns these limits with every value of <paramref name="overrides"/> that is set replacing the current one.</summary>
    /// <param name="overrides">The values that win.</param>
    /// <returns>The merged limits.</returns>
    public ModelLimits With(ModelLimits overrides) => new(
        overrides.RequestsPerMinute ?? RequestsPerMinute,
        overrides.RequestsPerDay ?? RequestsPerDay,
        overrides.TokensPerMinute ?? TokensPerMinute,
        overrides.TokensPerDay ?? TokensPerDay);
}
