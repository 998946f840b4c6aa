using System.Text;
using SkGroq.Tokens.Counting;

namespace SkGroq.Tests.Tokens;

/// <summary>
/// Loading a rank file reads it as <see cref="StreamReader.ReadLine"/> would, whatever its line endings, byte order mark,
/// blank lines and implicit ranks, and however the stream hands out its bytes.
/// </summary>
public sealed class BpeRanksLoadTests
{
    [Fact]
    public void Load_AnyLayoutAndReadSize_GivesTheRanksALineReaderGives()
    {
        var random = new Random(20261207);
        for (int file = 0; file < 300; file++)
        {
            byte[] content = RandomRankFile(random, out int entries);
            Dictionary<string, int> expected = ReadWithLineReader(content);
            Assert.Equal(entries, expected.Count);

            foreach (Stream stream in new Stream[] { new MemoryStream(content), new TrickleStream(content, random.Next(1, 9)) })
            {
                using (stream)
                {
                    BpeRanks ranks = BpeRanks.Load(stream);

                    Assert.Equal(expected.Count, ranks.Count);
                    foreach ((string base64, int rank) in expected)
                    {
                        Assert.Equal(rank, ranks.RankOf(Convert.FromBase64String(base64)));
                    }
                }
            }
        }
    }

    [Fact]
    public void Load_FromTheMiddleOfAStream_ReadsFromThere()
    {
        using var stream = new MemoryStream("garbage\nYQ== 7\n"u8.ToArray());
        stream.Position = "garbage\n".Length;

        BpeRanks ranks = BpeRanks.Load(stream);

        Assert.Equal(1, ranks.Count);
        Assert.Equal(7, ranks.RankOf("a"u8));
    }

    [Fact]
    public void Load_Base64WithWhitespaceInside_ReadsItAsConvertDoes()
    {
        // A tab inside the base64 is skipped, as Convert skips it: the first pass's size is then a bound, not exact.
        using var stream = new MemoryStream("YQ==\t 0\nY\tmM= 1\n"u8.ToArray());

        BpeRanks ranks = BpeRanks.Load(stream);

        Assert.Equal(2, ranks.Count);
        Assert.Equal(0, ranks.RankOf("a"u8));
        Assert.Equal(1, ranks.RankOf("bc"u8));
    }

    [Theory]
    [InlineData("YQ== 0\r\nYg== 1\r\n\r\nnot a rank\r\n", 4)]
    [InlineData("Capacity: 3\rYQ==\rYg==\r\rYw== x\r", 5)]
    [InlineData("\uFEFFYQ== 0\n== 1\n", 2)]
    public void Load_LineThatIsNotARank_SaysItsLineNumberWhateverTheLineEndings(string text, int line)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var error = Assert.Throws<InvalidOperationException>(() => BpeRanks.Load(stream));

        Assert.Contains($"Line {line} ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LineLongerThanTheReadBuffer_IsRejectedWithItsLineNumber()
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("YQ== 0\n" + new string('Y', 100_000) + " 1\n"));

        var error = Assert.Throws<InvalidOperationException>(() => BpeRanks.Load(stream));

        Assert.Contains("Line 2 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StreamThatChangesBetweenTheTwoReads_IsRejected()
    {
        using var stream = new ChangingStream("YQ== 0\nYg== 1\n"u8.ToArray(), "YQ== 0\nYg== 1\nYw== 2\n"u8.ToArray());

        var error = Assert.Throws<InvalidOperationException>(() => BpeRanks.Load(stream));

        Assert.Contains("changed while it was read", error.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomRankFile(Random random, out int entries)
    {
        string[] endings = ["\n", "\r", "\r\n"];
        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool bom = random.Next(4) == 0;
        if (random.Next(3) == 0)
        {
            text.Append("Capacity: ").Append(random.Next(1, 1000)).Append(endings[random.Next(3)]);
        }

        int previous = -1;
        entries = random.Next(0, 400);
        for (int i = 0; i < entries; i++)
        {
            string base64;
            do
            {
                byte[] bytes = new byte[random.Next(1, 40)];
                random.NextBytes(bytes);
                base64 = Convert.ToBase64String(bytes);
            }
            while (!seen.Add(base64));

            // Either the rank written out (sometimes jumping ahead), or the bytes alone for the rank after the previous one.
            bool implicitRank = i > 0 && random.Next(3) == 0;
            int rank = implicitRank ? previous + 1 : i == 0 ? random.Next(0, 3) : previous + 1 + (random.Next(10) == 0 ? random.Next(1, 50) : 0);
            text.Append(base64);
            if (!implicitRank)
            {
                text.Append(' ').Append(rank);
            }

            previous = rank;
            bool last = i == entries - 1;
            if (!last || random.Next(2) == 0)
            {
                text.Append(endings[random.Next(3)]);
            }

            if (!last && random.Next(15) == 0)
            {
                text.Append(endings[random.Next(3)]); // a blank line, or "\r" + "\n" read as one ending
            }
        }

        byte[] content = Encoding.UTF8.GetBytes(text.ToString());
        return bom ? [0xEF, 0xBB, 0xBF, .. content] : content;
    }

    private static Dictionary<string, int> ReadWithLineReader(byte[] content)
    {
        using var reader = new StreamReader(new MemoryStream(content), Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        int lineNumber = 0;
        int last = -1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("Capacity: ", StringComparison.Ordinal)))
            {
                continue;
            }

            string[] parts = line.Split(' ');
            last = parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : last + 1;
            ranks.Add(parts[0], last);
        }

        return ranks;
    }

    /// <summary>A stream that cannot seek and hands out at most a few bytes per read.</summary>
    private sealed class TrickleStream(byte[] content, int chunk) : MemoryStream(content)
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    /// <summary>A seekable stream whose content is another one from the second time it is rewound.</summary>
    private sealed class ChangingStream : MemoryStream
    {
        private readonly byte[] _second;
        private int _rewinds;

        public ChangingStream(byte[] first, byte[] second)
        {
            base.Write(first);
            base.Position = 0;
            _second = second;
        }

        public override long Position
        {
            get => base.Position;
            set
            {
                if (++_rewinds == 2)
                {
                    SetLength(0);
                    base.Write(_second);
                }

                base.Position = value;
            }
        }
    }
}
