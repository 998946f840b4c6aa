using System.Security.Cryptography;
using System.Text.Json;
using SkGroq.Caching.Conversion;
using SkGroq.Inspection.Sse;
namespace SkGroq.Caching;

/// <summary>
/// The cache key of a chat-completion request: the SHA-256 (lower-case hex) of its canonical form — the endpoint path,
/// the optional partition (the organization label, never the API key) and the request body with every member that can
/// change the answer, in canonical JSON.
/// </summary>
/// <remarks>
/// <para><b>Deny-list, not allow-list.</b> Every body member takes part in the key except the few known to change only how
/// the answer is delivered or attributed: <c>stream</c>, <c>stream_options</c> (delivery — a stored answer serves streaming
/// and non-streaming requests alike) and <c>user</c> (attribution). An allow-list would have to know every parameter Groq
/// has or will add (<c>reasoning_effort</c>, <c>search_settings</c>, <c>documents</c>, <c>compound_custom</c>…); one it
/// missed makes two different requests share an answer — the "incomplete cache key returns a wrong answer" bug. With a
/// deny-list an unknown parameter can only cost a miss.</para>
/// <para><b>Normalised:</b> member order and whitespace (canonical JSON, members sorted), string escapes, number spellings
/// (<c>0</c> = <c>0.0</c>), <c>max_tokens</c> = <c>max_completion_tokens</c> (the deprecated and the current name of the
/// same limit; when both are present both stay), and top-level <c>null</c> members = absent members (Groq's optional
/// parameters are nullable). Nothing else: defaults are not filled in (<c>temperature</c> absent is not <c>1</c>), nested
/// <c>null</c>s and array order are kept.</para>
/// <para>Headers — the API key among them — never reach the key: it is computed from the body alone.</para>
/// </remarks>
internal static class ResponseCacheKey
{
    private static readonly byte[] s_maxCompletionTokens = "max_completion_tokens"u8.ToArray();

    /// <summary>Computes the key of a request.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="path">The endpoint path relative to the base URL, e.g. <c>chat/completions</c>.</param>
    /// <param name="partition">The partition (an organization label), or <see langword="null"/>.</param>
    /// <param name="key">The 64-character lower-case hex SHA-256.</param>
    /// <returns><see langword="false"/> when the body is not a JSON object (such a request is not cached).</returns>
    public static bool TryCompute(ReadOnlyMemory<byte> body, string path, string? partition, out string key)
    {
        using var canonical = new PooledByteBuffer(body.Length + 96);
        if (!TryCanonicalize(body, path, partition, canonical))
        {
            key = string.Empty;
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(canonical.WrittenSpan, hash);
        key = Convert.ToHexStringLower(hash);
        return true;
    }

    /// <summary>Writes the canonical form that <see cref="TryCompute"/> hashes.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="path">The endpoint path.</param>
    /// <param name="partition">The partition, or <see langword="null"/>.</param>
    /// <param name="output">Where the canonical JSON goes.</param>
    /// <returns><see langword="false"/> when the body is not a JSON object.</returns>
    public static bool TryCanonicalize(ReadOnlyMemory<byte> body, string path, string? partition, PooledByteBuffer output)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(output);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            bool hasMaxCompletionTokens = root.TryGetProperty("max_completion_tokens"u8, out JsonElement max) && max.ValueKind != JsonValueKind.Null;

            // Versioned, so a change of these rules can never make an old entry answer a request it does not match.
            output.Append("{\"v\":1,\"path\":"u8);
            CanonicalJson.WriteString(output, path);
            if (partition is not null)
            {
                output.Append(",\"partition\":"u8);
                CanonicalJson.WriteString(output, partition);
            }

            output.Append(",\"request\":"u8);
            CanonicalJson.WriteObject(output, root, hasMaxCompletionTokens ? s_keepMaxTokens : s_renameMaxTokens);
            output.Append((byte)'}');
            return true;
        }
    }

    private static readonly CanonicalJson.MemberFilter s_keepMaxTokens = (ReadOnlySpan<byte> name, JsonElement value, out byte[]? rename)
        => Include(name, value, renameMaxTokens: false, out rename);

    private static readonly CanonicalJson.MemberFilter s_renameMaxTokens = (ReadOnlySpan<byte> name, JsonElement value, out byte[]? rename)
        => Include(name, value, renameMaxTokens: true, out rename);

    private static bool Include(ReadOnlySpan<byte> name, JsonElement value, bool renameMaxTokens, out byte[]? rename)
    {
        rename = null;
        if (value.ValueKind == JsonValueKind.Null || name.SequenceEqual("stream"u8) || name.SequenceEqual("stream_options"u8) || name.SequenceEqual("user"u8))
        {
            return false;
        }

        if (renameMaxTokens && name.SequenceEqual("max_tokens"u8))
        {
            rename = s_maxCompletionTokens;
        }

        return true;
    }
}
