using System.Net.Http.Headers;

namespace SkGroq.Errors;

/// <summary>
/// Reads Groq's response headers (rate limits, retry hints, request id) as they came off the wire.
/// <see cref="HttpHeaders.TryGetValues(string, out IEnumerable{string})"/> parses every value of a header and keeps the
/// parsed copy on the headers; a streamed response keeps its headers for as long as the stream is open, so the pipeline
/// reads through <see cref="HttpHeaders.NonValidated"/> instead.
/// </summary>
internal static class HeaderValues
{
    /// <summary>Gets the first value of a header, as sent.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="name">The header name.</param>
    /// <returns>The value; <see langword="null"/> when the header is absent.</returns>
    public static string? First(HttpHeaders headers, string name)
        => headers.NonValidated.TryGetValues(name, out HeaderStringValues values) ? First(values) : null;

    /// <summary>Gets the first of a header's values, as sent.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The value; <see langword="null"/> when there is none.</returns>
    public static string? First(HeaderStringValues values)
    {
        foreach (string value in values)
        {
            return value;
        }

        return null;
    }
}
