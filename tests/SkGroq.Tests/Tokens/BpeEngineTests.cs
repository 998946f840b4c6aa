using CsCheck;
using Microsoft.ML.Tokenizers;
using SkGroq.Tokens;
using SkGroq.Tokens.Counting;

namespace SkGroq.Tests.Tokens;

public sealed class BpeEngineTests
{
    private static readonly ITokenCounter s_gptOss = TokenTestProviders.WithoutLlamaVocabulary.GetCounter("openai/gpt-oss-120b");
    private static readonly TiktokenTokenizer s_harmony = TiktokenTokenizer.CreateForModel("gpt-oss-120b");

    [Fact]
    public void CountTokens_AnyText_EqualsMicrosoftTokenizer()
    {
        // Same vocabulary, pattern and special tokens: splitting, caching and special-token handling must not change counts.
        TokenTestText.Text.Sample(text => s_gptOss.CountTokens(text) == s_harmony.CountTokens(text), iter: 2_000, print: text => text);
    }

    [Fact]
    public void CountTokens_RepeatedWords_AreServedFromTheCacheWithSameCounts()
    {
        const string Text = "The quick brown fox jumps over the lazy dog.\n";
        string repeated = string.Concat(Enumerable.Repeat(Text, 50));

        Assert.Equal(s_harmony.CountTokens(Text), s_gptOss.CountTokens(Text));
        Assert.Equal(s_gptOss.CountTokens(Text) * 50, s_gptOss.CountTokens(repeated));
        Assert.Equal(s_harmony.CountTokens(repeated), s_gptOss.CountTokens(repeated));
    }

    [Theory]
    [InlineData(' ')]
    [InlineData('a')]
    [InlineData('=')]
    public void CountTokens_PieceUpToTheLimit_IsExact(char c)
    {
        string piece = new(c, TokenCountingDefaults.MaxPieceLength);

        Assert.Equal(s_harmony.CountTokens(piece), s_gptOss.CountTokens(piece));
    }

    [Fact]
    public void CountTokens_LongPiece_IsCountedInChunks()
    {
        string spaces = new(' ', 10_000);
        int chunk = s_harmony.CountTokens(new string(' ', TokenCountingDefaults.MaxPieceLength));
        int rest = s_harmony.CountTokens(new string(' ', 10_000 % TokenCountingDefaults.MaxPieceLength));

        Assert.Equal((10_000 / TokenCountingDefaults.MaxPieceLength * chunk) + rest, s_gptOss.CountTokens(spaces));
    }

    [Fact]
    public void CountTokens_LongRandomWord_OverCountsByAtMostOnePerChunk()
    {
        var random = new Random(42);
        string word = string.Create(20_000, random, static (span, r) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + r.Next(26));
            }
        });
        int exact = s_harmony.CountTokens(word);
        int chunks = (word.Length + TokenCountingDefaults.MaxPieceLength - 1) / TokenCountingDefaults.MaxPieceLength;

        Assert.InRange(s_gptOss.CountTokens(word), exact, exact + chunks);
    }

    [Fact]
    public void CountTokens_LongRunOfEmoji_NeverSplitsASurrogatePair()
    {
        string emoji = string.Concat(Enumerable.Repeat("😀", 1_000));
        int exact = s_harmony.CountTokens(emoji);

        // A split pair would count as two invalid byte sequences: several tokens more per chunk.
        Assert.InRange(s_gptOss.CountTokens(emoji), exact, exact + 8);
    }

    [Fact]
    public void CountTokens_TextFullOfSpecialTokenOpeners_CountsLikeTheTokenizer()
    {
        string text = string.Concat(Enumerable.Repeat("<|<|end|>|> <|start|x", 200));

        Assert.Equal(s_harmony.CountTokens(text), s_gptOss.CountTokens(text));
    }

    [Fact]
    public void CountTokens_Empty_IsZero()
    {
        Assert.Equal(0, s_gptOss.CountTokens(string.Empty));
        Assert.Equal(0, s_gptOss.CountTokens(default));
    }

    [Fact]
    public void GetLlama3_FailedLoad_IsRetriedOnTheNextCall()
    {
        string path = Path.Combine(Path.GetTempPath(), $"skgroq-broken-{Guid.NewGuid():N}.tiktoken");
        try
        {
            File.WriteAllText(path, "not a tiktoken file\n");
            Assert.Throws<InvalidOperationException>(() => BpeEngines.GetLlama3(path));

            File.WriteAllText(path, "IQ== 0\nIg== 1\n");
            BpeEngine engine = BpeEngines.GetLlama3(path);

            Assert.Equal(2, engine.CountOrdinary("!\""));
            Assert.Same(engine, BpeEngines.GetLlama3(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
