using System.Globalization;
using System.Net.Http.Headers;
namespace SkGroq.Errors;

/// <summary>Reads the server's retry hints: <c>retry-after-ms</c>, <c>retry-after</c> (seconds, possibly fractional, or an HTTP date) and <c>x-should-retry</c>.</summary>
internal static class GroqRetryAfter
{
    /// <summary>
    /// The longest wait a hint may ask for: every limit refills within its window, a day at the longest (docs/GROQ-API.md §5),
    /// so a longer hint is misread or garbled, and is ignored like an unparsable one.
    /// </summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>Gets the requested wait, preferring <c>retry-after-ms</c> as Groq's SDKs do; negative, unparsable and longer than <see cref="LongestWait"/> values are ignored.</summary>
    public static TimeSpan? Parse(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (TryGetSingle(headers, "retry-after-ms", out string? ms)
            && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out double milliseconds)
            && milliseconds >= 0 && milliseconds <= LongestWait.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (TryGetSingle(headers, "retry-after", out string? value))
        {
            // Groq sends integers; one integrator reports fractions ("11.75"), so parse as a float.
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
            {
                return seconds >= 0 && seconds <= LongestWait.TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
            }

            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date))
            {
                TimeSpan wait = date - now;
                return wait > LongestWait ? null : wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    /// <summary>Gets the <c>x-should-retry</c> verdict, when present.</summary>
    public static bool? ShouldRetry(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return TryGetSingle(headers, "x-should-retry", out string? value) && bool.TryParse(value, out bool shouldRetry) ? shouldRetry : null;
    }

    private static bool TryGetSingle(HttpResponseHeaders headers, string name, out string? value)
    {
        value = HeaderValues.First(headers, name)?.Trim();
        return !string.IsNullOrEmpty(value);
    }
}
