using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using SkGroq.Tests.TestData;
using SkGroq.Tokens.Counting;

namespace SkGroq.Tests.Tokens;

/// <summary>
/// The compact rank table counts every piece as Microsoft.ML.Tokenizers does, on a corpus of a few million characters:
/// the repository's own text (code, Markdown, JSON in several languages) and generated text that stresses the byte-pair
/// merge (long runs, mixed scripts, emoji, unpaired surrogates, control characters).
/// </summary>
public sealed class BpeRanksTests
{
    private static readonly Lazy<string> s_corpus = new(BuildCorpus);

    public static TheoryData<string> Vocabularies => ["cl100k_base", "o200k_base"];

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void CountTokens_EveryPieceOfALargeCorpus_EqualsMicrosoftTokenizer(string vocabulary)
    {
        (BpeRanks ranks, TiktokenTokenizer reference, Regex splitter) = Load(vocabulary);
        string corpus = s_corpus.Value;
        Assert.True(corpus.Length > 2_000_000, $"The corpus has {corpus.Length:N0} characters; it must stay large to prove anything.");

        int pieces = 0;
        long tokens = 0;
        var mismatches = new List<string>();
        foreach (ValueMatch match in splitter.EnumerateMatches(corpus))
        {
            ReadOnlySpan<char> piece = corpus.AsSpan(match.Index, Math.Min(match.Length, BpeRanks.MaxPieceLength));
            int expected = reference.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
            int actual = ranks.CountTokens(piece);
            if (actual != expected && mismatches.Count < 10)
            {
                mismatches.Add($"'{Escape(piece)}': {actual} against {expected}");
            }

            pieces++;
            tokens += expected;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{vocabulary}: {corpus.Length:N0} characters, {pieces:N0} pieces, {tokens:N0} tokens compared.");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count}+ pieces differ:\n{string.Join('\n', mismatches)}");
        Assert.True(pieces > 500_000, $"Only {pieces:N0} pieces ({tokens:N0} tokens) were compared.");
    }

    [Theory]
    [InlineData("cl100k_base", 100_256)] // ranks 0–100,255; <|endoftext|> is 100,257
    [InlineData("o200k_base", 199_998)] // ranks 0–199,997; <|endoftext|> is 199,999
    public void Load_PackagedVocabulary_HasEveryRank(string vocabulary, int count)
    {
        (BpeRanks ranks, TiktokenTokenizer reference, _) = Load(vocabulary);

        Assert.Equal(count, ranks.Count);
        Assert.True(reference.SpecialTokens!["<|endoftext|>"] > count);
    }

    [Fact]
    public void Load_LineThatIsNotARank_SaysWhichLineAndWhatToUse()
    {
        using var stream = new MemoryStream("IQ== 0\nnot a rank\n"u8.ToArray());

        var error = Assert.Throws<InvalidOperationException>(() => BpeRanks.Load(stream));

        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("tiktoken rank file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameBytesTwice_IsRejected()
    {
        using var stream = new MemoryStream("IQ== 0\nIg== 1\nIQ== 2\n"u8.ToArray());

        var error = Assert.Throws<InvalidOperationException>(() => BpeRanks.Load(stream));

        Assert.Contains("twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountTokens_TinyVocabulary_MergesTheLowestRankedPairFirst()
    {
        // a b c d, then "bc" (4), "ab" (5), "cd" (6). In "abcd" the pair "bc" beats "ab" and "cd": a|bc|d, and neither "abc"
        // nor "bcd" is a rank, so 3 tokens (merging the leftmost pair first would give ab|cd, 2).
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes("YQ== 0\nYg== 1\nYw== 2\nZA== 3\nYmM= 4\nYWI= 5\nY2Q= 6\n"));
        BpeRanks ranks = BpeRanks.Load(stream);

        Assert.Equal(3, ranks.CountTokens("abcd"));
        Assert.Equal(1, ranks.CountTokens("ab"));
        Assert.Equal(2, ranks.CountTokens("abab"));
        Assert.Equal(2, ranks.CountTokens("cdcd"));
        Assert.Equal(0, ranks.CountTokens(string.Empty));
    }

    [Fact]
    public void CountTokens_PieceLongerThanTheLimit_IsRejected()
    {
        (BpeRanks ranks, _, _) = Load("cl100k_base");

        Assert.Throws<ArgumentOutOfRangeException>(() => ranks.CountTokens(new string('a', BpeRanks.MaxPieceLength + 1)));
    }

    private static (BpeRanks Ranks, TiktokenTokenizer Reference, Regex Splitter) Load(string vocabulary) => vocabulary switch
    {
        "cl100k_base" => (BpeEngines.Cl100kRanks, TiktokenTokenizer.CreateForEncoding("cl100k_base"), PreTokenizerPatterns.Llama3Regex()),
        _ => (BpeEngines.O200kRanks, TiktokenTokenizer.CreateForEncoding("o200k_base"), PreTokenizerPatterns.O200kRegex()),
    };

    private static string BuildCorpus()
    {
        var text = new StringBuilder(4_000_000);
        foreach (string path in Directory.EnumerateFiles(Repository.Root, "*.*", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(path);
            bool source = path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".md", StringComparison.Ordinal) || path.EndsWith(".json", StringComparison.Ordinal);
            if (source && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && name != "package-lock.json")
            {
                text.Append(File.ReadAllText(path)).Append('\n');
            }
        }

        // Generated text: every fragment kind the pre-tokenizer and the merge treat differently, in random order and runs.
        string[] fragments =
        [
            " ", "   ", "\n", "\n\n\n", "\t", "\r\n", "hello", " world", "Hello", "'s", "'LL", "123", "4567890", "!", "?!", " .",
            "中文字符", "日本語のテキスト", "한국어", "😀", "👩‍👩‍👧‍👦", "é", "ÀBc", "-----", "=====", "\u001c", "don't", "naïve", "Привет", "مرحبا",
            "שלום", "नमस्ते", "ελληνικά", "\uD800", "\uDC00x", "\uFFFD", "\u0000", "\u200B", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ŉ", "ǅ", "ﬁ",
            "{\"key\":", "</div>", "=>", "::", "0x1F", "1e-9", "    return", "\u00A0", "\u3000", "ℌ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        ];
        var random = new Random(20261207);
        for (int i = 0; i < 400_000; i++)
        {
            string fragment = fragments[random.Next(fragments.Length)];
            int repeat = random.Next(8) == 0 ? random.Next(2, 40) : 1;
            for (int r = 0; r < repeat; r++)
            {
                text.Append(fragment);
            }
        }

        return text.ToString();
    }

    private static string Escape(ReadOnlySpan<char> piece)
    {
        var escaped = new StringBuilder();
        foreach (char c in piece)
        {
            escaped.Append(c is < ' ' or > '~' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return escaped.ToString();
    }
}
