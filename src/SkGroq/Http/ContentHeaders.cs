using System.Net.Http.Headers;
using SkGroq.Errors;

namespace SkGroq.Http;

/// <summary>
/// A content's headers, handled as sent: the pipeline replaces the request's content (its body read once) and a streamed
/// response's (the tapped stream), and reads the media type, without parsing headers into typed values it would then keep.
/// </summary>
internal static class ContentHeaders
{
    /// <summary>Gets the media type of a content (<c>Content-Type</c> without its parameters).</summary>
    /// <param name="content">The content.</param>
    /// <returns>The media type; <see langword="null"/> when the header is absent or is not a <c>type/subtype</c>.</returns>
    public static string? MediaType(HttpContent? content)
    {
        if (content is null || HeaderValues.First(content.Headers, "Content-Type") is not { } value)
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
    public static void CopyUnparsed(HttpContent from, HttpContent to)
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
