using CsCheck;
using SkGroq.Tokens;
using SkGroq.Tokens.Counting;

namespace SkGroq.Tests.Tokens;

public sealed class TextCountCacheTests
{
    private static readonly TokenCounter s_gptOss = (TokenCounter)TokenTestProviders.WithoutLlamaVocabulary.GetCounter("openai/gpt-oss-120b");

    [Fact]
    public void Count_TextSeenBefore_IsAnsweredWithoutCountingAgain()
    {
        var cache = new TextCountCache();
        string text = new('a', TextCountCache.MinLength);
        int calls = 0;
        int Count(string t) => cache.GetOrCount(t.AsSpan(), 0, (span, _) => ++calls * 1000 + span.Length);

        int first = Count(text);
        int second = Count(new string(text)); // equal content, another instance

        Assert.Equal(1, calls);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Count_ShortText_IsCountedEveryTime()
    {
        var cache = new TextCountCache();
        string text = new('a', TextCountCache.MinLength - 1);
        int calls = 0;

        cache.GetOrCount(text.AsSpan(), 0, (_, _) => ++calls);
        cache.GetOrCount(text.AsSpan(), 0, (_, _) => ++calls);

        Assert.Equal(2, calls);
    }

    [Fact]
    public void Count_TextsSharingOneSlot_EachGetTheirOwnCount()
    {
        // One slot: every text lands in it, so only the hash and length check keeps counts apart.
        var cache = new TextCountCache(slots: 1);
        string prefix = string.Concat(Enumerable.Repeat("The quick brown fox. ", 5));
        string a = prefix + " the cat sat";
        string b = prefix + "Zx9#qK!v@3pW"; // same length, other content and count
        string c = prefix + " the cat sat on"; // other length
        Assert.Equal(a.Length, b.Length);
        Assert.NotEqual(s_gptOss.Text.CountUncached(a), s_gptOss.Text.CountUncached(b));

        foreach (string text in (string[])[a, b, a, c, b, c, a])
        {
            Assert.Equal(s_gptOss.Text.CountUncached(text), cache.GetOrCount(text.AsSpan(), s_gptOss.Text, static (t, counter) => counter.CountUncached(t)));
        }
    }

    [Fact]
    public void Count_AnyTextsCountedRepeatedly_EqualTheUncachedCount()
    {
        // Texts at and around the cache's threshold, each counted several times in random order through a small cache.
        Gen<string> texts = Gen.Select(TokenTestText.Text, Gen.Int[0, 3], static (text, copies) => string.Concat(Enumerable.Repeat(text, copies + 1)));
        var counter = new TextCounter("o200k_harmony", BpeEngines.O200k, SpecialTokens.Harmony);
        texts.Array[1, 12].Sample(
            batch =>
            {
                string[] twice = [.. batch, .. batch.Reverse()];
                return twice.All(text => counter.Count(text) == counter.CountUncached(text));
            },
            iter: 500);
    }

    [Fact]
    public async Task Count_ManyThreadsThroughFewSlots_AlwaysAnswerTheTextsOwnCount()
    {
        // Eight slots and 64 texts of equal length: slots are replaced while other threads read them.
        var cache = new TextCountCache(slots: 8);
        string[] texts = [.. Enumerable.Range(0, 64).Select(i => $"{i:D4} " + new string((char)('a' + (i % 26)), 80 + (i % 3)))];
        int[] expected = [.. texts.Select(t => s_gptOss.Text.CountUncached(t))];

        int[] mismatches = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            int wrong = 0;
            var random = new Random(worker);
            for (int n = 0; n < 20_000; n++)
            {
                int i = random.Next(texts.Length);
                wrong += cache.GetOrCount(texts[i].AsSpan(), s_gptOss.Text, static (t, counter) => counter.CountUncached(t)) == expected[i] ? 0 : 1;
            }

            return wrong;
        }, TestContext.Current.CancellationToken)));

        Assert.All(mismatches, m => Assert.Equal(0, m));
    }

    [Fact]
    public void Constructor_SlotsNotAPowerOfTwo_SaysWhatIsWrong()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new TextCountCache(slots: 1000));

        Assert.Contains("power of two", error.Message, StringComparison.Ordinal);
    }
}
