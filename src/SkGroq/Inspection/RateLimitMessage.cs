using System.Globalization;
using System.Text.RegularExpressions;
using SkGroq.Errors;
namespace SkGroq.Inspection;

/// <summary>What a Groq rate-limit message says: "… on tokens per minute (TPM): Limit 6000, Used 5959, Requested 400. Please try again in 3.6s".</summary>
/// <param name="Limit">The limit that bound.</param>
/// <param name="LimitValue">Limit L.</param>
/// <param name="Used">Used U (absent from "Request too large" messages).</param>
/// <param name="Requested">Requested R.</param>
/// <param name="TryAgainIn">The "try again in" duration.</param>
internal sealed partial record RateLimitMessage(GroqLimitKind Limit, long? LimitValue, long? Used, long? Requested, TimeSpan? TryAgainIn)
{
    public static RateLimitMessage? Parse(string? message)
    {
        if (string.IsNullOrEmpty(message))
        {
            return null;
        }

        Match limit = LimitPattern().Match(message);
        Match wait = TryAgainPattern().Match(message);
        if (!limit.Success && !wait.Success)
        {
            return null;
        }

        GroqLimitKind kind = limit.Success ? ToKind(limit.Groups["abbr"].Value) : GroqLimitKind.Unknown;
        TimeSpan? tryAgain = wait.Success && GoDuration.TryParse(wait.Groups["d"].Value, out TimeSpan d) && d <= GroqRetryAfter.LongestWait ? d : null;
        return new RateLimitMessage(kind, Number(limit, "limit"), Number(limit, "used"), Number(limit, "req"), tryAgain);
    }

    private static long? Number(Match match, string group)
        => match.Success && match.Groups[group].Success && long.TryParse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;

    private static GroqLimitKind ToKind(string abbreviation) => abbreviation switch
    {
        "RPM" => GroqLimitKind.RequestsPerMinute,
        "RPD" => GroqLimitKind.RequestsPerDay,
        "TPM" => GroqLimitKind.TokensPerMinute,
        "TPD" => GroqLimitKind.TokensPerDay,
        "OTPM" => GroqLimitKind.OutputTokensPerMinute,
        "ASH" => GroqLimitKind.AudioSecondsPerHour,
        _ => GroqLimitKind.Unknown,
    };

    [GeneratedRegex(@"\((?<abbr>[A-Z]{2,5})\):\s*Limit\s+(?<limit>\d+)(?:,\s*Used\s+(?<used>\d+))?(?:,\s*Requested\s+(?<req>\d+))?", RegexOptions.CultureInvariant)]
    private static partial Regex LimitPattern();

    // Longer units first: "40ms" must not match as "40m" (40 minutes).
    [GeneratedRegex(@"try again in\s+(?<d>[0-9.]+(?:ms|us|µs|μs|ns|h|m|s)(?:[0-9.]+(?:ms|us|µs|μs|ns|h|m|s))*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TryAgainPattern();
}
