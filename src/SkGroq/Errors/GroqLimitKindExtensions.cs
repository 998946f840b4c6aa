namespace SkGroq.Errors;

/// <summary>Names of <see cref="GroqLimitKind"/> for messages and metrics.</summary>
internal static class GroqLimitKindExtensions
{
    /// <summary>Gets the name people read, e.g. <c>tokens/minute</c>.</summary>
    /// <param name="kind">The limit.</param>
    /// <returns>The display name.</returns>
    public static string ToDisplayName(this GroqLimitKind kind) => kind switch
    {
        GroqLimitKind.RequestsPerMinute => "requests/minute",
        GroqLimitKind.RequestsPerDay => "requests/day",
        GroqLimitKind.TokensPerMinute => "tokens/minute",
        GroqLimitKind.TokensPerDay => "tokens/day",
        GroqLimitKind.OutputTokensPerMinute => "output tokens/minute",
        GroqLimitKind.AudioSecondsPerHour => "audio seconds/hour",
        _ => "rate limit",
    };

    /// <summary>Gets Groq's abbreviation, e.g. <c>TPM</c>.</summary>
    /// <param name="kind">The limit.</param>
    /// <returns>The abbreviation.</returns>
    public static string ToAbbreviation(this GroqLimitKind kind) => kind switch
    {
        GroqLimitKind.RequestsPerMinute => "RPM",
        GroqLimitKind.RequestsPerDay => "RPD",
        GroqLimitKind.TokensPerMinute => "TPM",
        GroqLimitKind.TokensPerDay => "TPD",
        GroqLimitKind.OutputTokensPerMinute => "OTPM",
        GroqLimitKind.AudioSecondsPerHour => "ASH",
        _ => "unknown",
    };

    /// <summary>Gets a value indicating whether the limit is a daily one (waiting for it rarely fits a request's deadline).</summary>
    /// <param name="kind">The limit.</param>
    /// <returns><see langword="true"/> for RPD and TPD.</returns>
    public static bool IsDaily(this GroqLimitKind kind) => kind is GroqLimitKind.RequestsPerDay or GroqLimitKind.TokensPerDay;
}
