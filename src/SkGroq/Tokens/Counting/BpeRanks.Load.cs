using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace SkGroq.Tokens.Counting;

/// <content>Loading a vocabulary's ranks from tiktoken's text form.</content>
/// <remarks>
/// The text is read twice: once to size the table's arrays, once to fill them. So a load allocates the table and nothing
/// else of size: reading it line by line into growing lists left twice the table's size as large-object garbage, and that
/// garbage cost the process a full blocking collection early in its life, after which every later collection paused
/// longer (docs/BENCHMARKS.md, "Vocabulary load").
/// </remarks>
internal sealed partial class BpeRanks
{
    // Below the large-object threshold, as the char buffer of the same length: a line longer than this is no rank line.
    private const int ReadBufferLength = 32 * 1024;

    /// <summary>
    /// Loads a vocabulary in tiktoken's text form: one <c>base64-bytes rank</c> pair per line (a line of bytes alone takes
    /// the rank after the previous line's, as in Microsoft.ML.Tokenizers' data packages).
    /// </summary>
    /// <param name="stream">The file's content, read from its current position; a stream that cannot seek is copied first.</param>
    /// <returns>The ranks.</returns>
    /// <exception cref="InvalidOperationException">A line is not a base64 byte sequence followed by a rank, or a byte sequence is there twice.</exception>
    public static BpeRanks Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return Load(copy);
        }

        long start = stream.Position;
        return Load(() =>
        {
            stream.Position = start;
            return stream;
        }, ownsStream: false);
    }

    /// <summary>Loads a vocabulary Microsoft.ML.Tokenizers ships in a data package, read from the package's own resource.</summary>
    /// <param name="assemblyName">The data package's assembly, e.g. <c>Microsoft.ML.Tokenizers.Data.Cl100kBase</c>.</param>
    /// <param name="resourceName">The deflate-compressed tiktoken file in it, e.g. <c>cl100k_base.tiktoken.deflate</c>.</param>
    /// <returns>The ranks.</returns>
    /// <exception cref="InvalidOperationException">The assembly does not hold that resource.</exception>
    public static BpeRanks LoadPackaged(string assemblyName, string resourceName)
    {
        Assembly assembly = Assembly.Load(assemblyName);
        return Load(() => new DeflateStream(
            assembly.GetManifestResourceStream(resourceName)
                ?? throw new InvalidOperationException($"'{assemblyName}' holds no resource '{resourceName}'. Check the version of the Microsoft.ML.Tokenizers data package."),
            CompressionMode.Decompress), ownsStream: true);
    }

    private static BpeRanks Load(Func<Stream> open, bool ownsStream)
    {
        // The first pass only counts the lines and bounds their bytes (exact for base64 without whitespace); the second
        // parses every line, so a malformed one is reported there, by its number.
        RankFileSize size = Read(open, ownsStream, table: null);
        var table = new RankFileTable(new byte[size.Bytes], new int[size.Count + 1], new int[size.Count]);
        if (Read(open, ownsStream, table).Count != size.Count)
        {
            throw ChangedWhileRead();
        }

        var ranks = new BpeRanks(table.Bytes, table.Offsets, table.Ranks, size.Count);
        ranks.ThrowIfDuplicated();
        return ranks;
    }

    private static RankFileSize Read(Func<Stream> open, bool ownsStream, RankFileTable? table)
    {
        Stream stream = open();
        try
        {
            return Read(stream, table);
        }
        finally
        {
            if (ownsStream)
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>Reads every line: counts the entries and bounds their bytes, or fills <paramref name="table"/> when given.</summary>
    /// <remarks>Lines end as <see cref="StreamReader.ReadLine"/> ends them (<c>\n</c>, <c>\r</c> or <c>\r\n</c>); a UTF-8 byte order mark is skipped.</remarks>
    private static RankFileSize Read(Stream stream, RankFileTable? table)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferLength);
        char[] chars = ArrayPool<char>.Shared.Rent(ReadBufferLength);
        try
        {
            var reader = new RankLineReader(table);
            int start = 0;
            int end = 0;
            bool endOfStream = false;
            while (end < 3 && !endOfStream)
            {
                endOfStream = Fill(stream, buffer, ref start, ref end);
            }

            if (buffer.AsSpan(0, end).StartsWith("\uFEFF"u8))
            {
                start = 3;
            }

            bool skipLineFeed = false;
            while (true)
            {
                if (skipLineFeed)
                {
                    if (start == end && !endOfStream)
                    {
                        endOfStream = Fill(stream, buffer, ref start, ref end);
                        continue;
                    }

                    start += start < end && buffer[start] == (byte)'\n' ? 1 : 0;
                    skipLineFeed = false;
                }

                int length = buffer.AsSpan(start, end - start).IndexOfAny((byte)'\r', (byte)'\n');
                if (length < 0)
                {
                    if (!endOfStream)
                    {
                        if (start == 0 && end == buffer.Length)
                        {
                            throw NotARankLine(reader.LineNumber + 1);
                        }

                        endOfStream = Fill(stream, buffer, ref start, ref end);
                        continue;
                    }

                    if (start == end)
                    {
                        return reader.Size;
                    }

                    length = end - start;
                }
                else
                {
                    skipLineFeed = buffer[start + length] == (byte)'\r';
                }

                reader.ReadLine(buffer.AsSpan(start, length), chars);
                start = Math.Min(end, start + length + 1);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unread bytes to the front of the buffer and reads more after them.</summary>
    /// <returns><see langword="true"/> at the end of the stream.</returns>
    private static bool Fill(Stream stream, byte[] buffer, ref int start, ref int end)
    {
        buffer.AsSpan(start, end - start).CopyTo(buffer);
        end -= start;
        start = 0;
        int read = stream.Read(buffer, end, buffer.Length - end);
        end += read;
        return read == 0;
    }

    private static InvalidOperationException NotARankLine(int lineNumber)
        => new($"Line {lineNumber} of the vocabulary is not '<base64 bytes> <rank>'. Use a tiktoken rank file.");

    private static InvalidOperationException ChangedWhileRead() => new("The vocabulary changed while it was read. Load it again.");

    private readonly record struct RankFileSize(int Count, int Bytes);

    private sealed record RankFileTable(byte[] Bytes, int[] Offsets, int[] Ranks);

    /// <summary>Counts the lines and bounds their bytes, or, when given a table, parses each line into it.</summary>
    private struct RankLineReader(RankFileTable? table)
    {
        private int _lineNumber;
        private int _count;
        private int _bytes;
        private int _lastRank;

        public readonly RankFileSize Size => new(_count, _bytes);

        public readonly int LineNumber => _lineNumber;

        public void ReadLine(ReadOnlySpan<byte> utf8, Span<char> chars)
        {
            _lineNumber++;
            if (utf8.IsEmpty || (_lineNumber == 1 && utf8.StartsWith("Capacity: "u8)))
            {
                return; // The size hint Microsoft.ML.Tokenizers' data packages start with, or a blank line.
            }

            if (table is null)
            {
                // Base64 of n bytes is 4 * ceil(n / 3) characters, the last one or two '=' when n is not a multiple of 3.
                int space = utf8.IndexOf((byte)' ');
                ReadOnlySpan<byte> base64 = space >= 0 ? utf8[..space] : utf8;
                int padding = base64.EndsWith("=="u8) ? 2 : base64.EndsWith("="u8) ? 1 : 0;
                _bytes += Math.Max(0, (base64.Length / 4 * 3) - padding);
                _count++;
                return;
            }

            Parse(chars[..Encoding.UTF8.GetChars(utf8, chars)], table);
        }

        private void Parse(ReadOnlySpan<char> line, RankFileTable table)
        {
            // "<base64> <rank>", or "<base64>" alone for the rank after the previous one (the data packages' form).
            Span<byte> decoded = stackalloc byte[256];
            int space = line.IndexOf(' ');
            int rank = _count == 0 ? 0 : _lastRank + 1;
            if (space == 0
                || (space > 0 && !int.TryParse(line[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out rank))
                || !Convert.TryFromBase64Chars(space > 0 ? line[..space] : line, decoded, out int length)
                || length == 0)
            {
                throw NotARankLine(_lineNumber);
            }

            if (_count >= table.Ranks.Length || length > table.Bytes.Length - _bytes)
            {
                throw ChangedWhileRead();
            }

            decoded[..length].CopyTo(table.Bytes.AsSpan(_bytes));
            table.Ranks[_count] = rank;
            table.Offsets[_count + 1] = _bytes + length;
            _bytes += length;
            _count++;
            _lastRank = rank;
        }
    }
}
