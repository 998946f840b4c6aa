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
    /// <remarks>
    /// One pass over the headers as sent, reading each <c>x-ratelimit-*</c> header's first value: every answer carries six of
    /// them among a dozen others, and each lookup by name would walk them all again.
    /// </remarks>
    public static GroqRateLimitHeaders? Parse(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        long? limitRequests = null, remainingRequests = null, limitTokens = null, remainingTokens = null;
        TimeSpan? resetRequests = null, resetTokens = null;
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            string name = header.Key;
            if (name.Length <= Prefix.Length || !name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
                || HeaderValues.First(header.Value) is not { } value)
            {
                continue;
            }

            ReadOnlySpan<char> field = name.AsSpan(Prefix.Length);
            if (field.Equals(LimitRequestsHeader.AsSpan(Prefix.Length), StringComparison.OrdinalIgnoreCase))
            {
                limitRequests = Integer(value);
            }
            else if (field.Equals(RemainingRequestsHeader.AsSpan(Prefix.Length), StringComparison.OrdinalIgnoreCase))
            {
                remainingRequests = Integer(value);
            }
            else if (field.Equals(ResetRequestsHeader.AsSpan(Prefix.Length), StringComparison.OrdinalIgnoreCase))
            {
                resetRequests = Duration(value);
            }
            else if (field.Equals(LimitTokensHeader.AsSpan(Prefix.Length), StringComparison.OrdinalIgnoreCase))
            {
                limitTokens = Integer(value);
            }
            else if (field.Equals(RemainingTokensHeader.AsSpan(Prefix.Length), StringComparison.OrdinalIgnoreCase))
            {
                remainingTokens = Integer(value);
            }
            else if (field.Equals(ResetTokensHeader.AsSpan(Prefix.Length), StringComparison.OrdinalIgnoreCase))
            {
                resetTokens = Duration(value);
            }
        }

        return limitRequests is null && remainingRequests is null && resetRequests is null && limitTokens is null && remainingTokens is null && resetTokens is null
            ? null
            : new GroqRateLimitHeaders(limitRequests, remainingRequests, resetRequests, limitTokens, remainingTokens, resetTokens);
    }

    private const string Prefix = "x-ratelimit-";

    private static long? Integer(string value)
        => long.TryParse(value.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) ? parsed : null;

    private static TimeSpan? Duration(string value)
        => GoDuration.TryParse(value, out TimeSpan parsed) ? parsed : null;
}
