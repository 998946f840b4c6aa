using System.Net.Http.Headers;

namespace SkGroq.Errors;

/// <summary>
/// Reads header values as they came off the wire. <see cref="HttpHeaders.TryGetValues(string, out IEnumerable{string})"/>
/// parses every value of a header and keeps the parsed copy on the headers; a streamed response keeps its headers for as
/// long as the stream is open, so the pipeline reads through <see cref="HttpHeaders.NonValidated"/> instead.
/// </summary>
internal static class HeaderValues
{
    /// <summary>Gets the first value of a header, as sent.</summary>
    /// <param name="headers">The headers.</param>
    /// <param name="name">The header name.</param>
    /// <returns>The value; <see langword="null"/> when the header is absent.</returns>
    public static string? First(HttpHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out HeaderStringValues values))
        {
            foreach (string value in values)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Gets the media type of a content (<c>Content-Type</c> without its parameters), read without parsing the header into a typed value.</summary>
    /// <param name="content">The content.</param>
    /// <returns>The media type; <see langword="null"/> when the header is absent or is not a <c>type/subtype</c>.</returns>
    public static string? MediaType(HttpContent? content)
    {
        if (content is null || First(content.Headers, "Content-Type") is not { } value)
        {
            return null;
        }

        ReadOnlySpan<char> type = value.AsSpan();
        int parameters = type.IndexOf(';');
        type = (parameters < 0 ? type : type[..parameters]).Trim();
        int slash = type.IndexOf('/');
        if (slash <= 0 || slash == type.Length - 1)
        {
            return null;
        }

        return type.Length == value.Length ? value : type.ToString();
    }

    /// <summary>Copies a content's headers onto another content as they were set, unparsed; the length is left to the new content.</summary>
    /// <param name="from">The content whose headers are copied.</param>
    /// <param name="to">The content that gets them.</param>
    public static void CopyContentHeaders(HttpContent from, HttpContent to)
    {
        foreach (KeyValuePair<string, HeaderStringValues> header in from.Headers.NonValidated)
        {
            if (header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (header.Value.Count == 1)
            {
                to.Headers.TryAddWithoutValidation(header.Key, header.Value.ToString());
            }
            else
            {
                to.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
    }
}
