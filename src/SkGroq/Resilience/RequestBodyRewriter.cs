using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SkGroq.Resilience;

/// <summary>
/// Reads and replaces a top-level string property of a JSON request body (<c>model</c>, <c>service_tier</c>) with every other
/// byte left as it was: the request sent to the fallback model is the caller's request, not a re-serialization of it.
/// </summary>
/// <remarks>
/// Property names are compared unescaped (<c>"mod\u0065l"</c> is <c>model</c>); nested objects are never touched (a tool
/// schema's <c>model</c> property stays); every top-level occurrence is replaced, so a body with a duplicate key cannot
/// keep sending the old model. Pure: no I/O, no clock.
/// </remarks>
internal static class RequestBodyRewriter
{
    private static readonly JavaScriptEncoder s_encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Gets the value of a top-level string property.</summary>
    /// <param name="json">The body.</param>
    /// <param name="name">The property name (UTF-8).</param>
    /// <param name="value">The last top-level string value of that name.</param>
    /// <returns><see langword="true"/> when the body is a JSON object with such a string property.</returns>
    public static bool TryGetTopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, [NotNullWhen(true)] out string? value)
    {
        value = null;
        Span<(int Start, int End)> found = stackalloc (int, int)[4];
        List<(int Start, int End)>? more = null;
        if (!TryFindTopLevelStrings(json, name, found, ref more, out int count) || count == 0)
        {
            return false;
        }

        (int start, int end) = count <= found.Length ? found[count - 1] : more![count - 1 - found.Length];
        var reader = new Utf8JsonReader(json[start..end]);
        reader.Read();
        value = reader.GetString()!;
        return true;
    }

    /// <summary>Replaces the value of every top-level string property <paramref name="name"/>.</summary>
    /// <param name="json">The body.</param>
    /// <param name="name">The property name (UTF-8).</param>
    /// <param name="value">The new value.</param>
    /// <param name="rewritten">The new body: the old one with only those values changed.</param>
    /// <returns><see langword="false"/> when the body is not a JSON object or has no such string property (nothing to rewrite).</returns>
    public static bool TryReplaceTopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, string value, [NotNullWhen(true)] out byte[]? rewritten)
    {
        ArgumentNullException.ThrowIfNull(value);
        rewritten = null;

        // Value spans as (start, end) byte offsets: the opening quote to just past the closing one. Bodies have one, rarely two.
        Span<(int Start, int End)> found = stackalloc (int, int)[4];
        List<(int Start, int End)>? more = null;
        if (!TryFindTopLevelStrings(json, name, found, ref more, out int count) || count == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> encoded = JsonEncodedText.Encode(value, s_encoder).EncodedUtf8Bytes;
        int removed = 0;
        for (int i = 0; i < count; i++)
        {
            (int start, int end) = i < found.Length ? found[i] : more![i - found.Length];
            removed += end - start;
        }

        byte[] result = new byte[json.Length - removed + (count * (encoded.Length + 2))];
        int read = 0;
        int written = 0;
        for (int i = 0; i < count; i++)
        {
            (int start, int end) = i < found.Length ? found[i] : more![i - found.Length];
            json[read..start].CopyTo(result.AsSpan(written));
            written += start - read;
            result[written++] = (byte)'"';
            encoded.CopyTo(result.AsSpan(written));
            written += encoded.Length;
            result[written++] = (byte)'"';
            read = end;
        }

        json[read..].CopyTo(result.AsSpan(written));
        rewritten = result;
        return true;
    }

    /// <summary>Finds the values of every top-level string property <paramref name="name"/>.</summary>
    /// <param name="json">The body.</param>
    /// <param name="name">The property name (UTF-8).</param>
    /// <param name="found">The first values' spans, as (start, end) byte offsets: the opening quote to just past the closing one.</param>
    /// <param name="more">The spans that did not fit in <paramref name="found"/>, in order; created only when needed.</param>
    /// <param name="count">How many values were found.</param>
    /// <returns><see langword="false"/> when the body is not a complete JSON object.</returns>
    private static bool TryFindTopLevelStrings(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name, Span<(int Start, int End)> found, ref List<(int Start, int End)>? more, out int count)
    {
        count = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                {
                    (int, int) span = ((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                    if (count < found.Length)
                    {
                        found[count] = span;
                    }
                    else
                    {
                        (more ??= []).Add(span);
                    }

                    count++;
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
