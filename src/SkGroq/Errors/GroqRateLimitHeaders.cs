using System.Globalization;
using System.Net.Http.Headers;

namespace SkGroq.Errors;

/// <summary>
/// Groq's <c>x-ratelimit-*</c> response headers. <c>*-requests</c> always describe requests per DAY (RPD) and <c>*-tokens</c>
/// tokens per MINUTE (TPM); resets are Go durations until the bucket is full again (docs/GROQ-API.md §5.2).
/// </summary>
/// <param name="LimitRequests"><c>x-ratelimit-limit-requests</c> (RPD).</param>
/// <param name="RemainingRequests"><c>x-ratelimit-remaining-requests</c>.</param>
/// <param name="ResetRequests"><c>x-ratelimit-reset-requests</c>.</param>
/// <param name="LimitTokens"><c>x-ratelimit-limit-tokens</c> (TPM).</param>
/// <param name="RemainingTokens"><c>x-ratelimit-remaining-tokens</c>.</param>
/// <param name="ResetTokens"><c>x-ratelimit-reset-tokens</c>.</param>
public sealed record GroqRateLimitHeaders(
    long? LimitRequests,
    long? RemainingRequests,
    TimeSpan? ResetRequests,
    long? LimitTokens,
    long? RemainingTokens,
    TimeSpan? ResetTokens)
{
    /// <summary>The header names.</summary>
    public const string LimitRequestsHeader = "x-ratelimit-limit-requests";

    /// <summary>The header names.</summary>
    public const string RemainingRequestsHeader = "x-ratelimit-remaining-requests";

    /// <summary>The header names.</summary>
    public const string ResetRequestsHeader = "x-ratelimit-reset-requests";

    /// <summary>The header names.</summary>
    public const string LimitTokensHeader = "x-ratelimit-limit-tokens";

    /// <summary>The header names.</summary>
    public const string RemainingTokensHeader = "x-ratelimit-remaining-tokens";

    /// <summary>The header names.</summary>
    public const string ResetTokensHeader = "x-ratelimit-reset-tokens";

    /// <summary>Reads the headers; returns <see langword="null"/> when none is present (e.g. 401, <c>GET /models</c>).</summary>
    /// <param name="headers">The response headers.</param>
    /// <returns>The values present; malformed values are left out.</returns>
    public static GroqRateLimitHeaders? Parse(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var parsed = new GroqRateLimitHeaders(
            Integer(headers, LimitRequestsHeader),
            Integer(headers, RemainingRequestsHeader),
            Duration(headers, ResetRequestsHeader),
            Integer(headers, LimitTokensHeader),
            Integer(headers, RemainingTokensHeader),
            Duration(headers, ResetTokensHeader));
        return parsed == s_empty ? null : parsed;
    }

    private static readonly GroqRateLimitHeaders s_empty = new(null, null, null, null, null, null);

    private static string? Single(HttpResponseHeaders headers, string name)
        => HeaderValues.First(headers, name)?.Trim();

    private static long? Integer(HttpResponseHeaders headers, string name)
        => long.TryParse(Single(headers, name), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;

    private static TimeSpan? Duration(HttpResponseHeaders headers, string name)
        => Single(headers, name) is { } text && GoDuration.TryParse(text, out TimeSpan value) ? value : null;
}
