using CsCheck;
using Microsoft.ML.Tokenizers;
using SkGroq.Tokens;
using SkGroq.Tokens.Counting;
using SkGroq.Tokens.Llama;

namespace SkGroq.Tests.Tokens;

/// <summary>Checks against Meta's real vocabulary; skipped where it is not installed (it is never part of the repository).</summary>
public sealed class LlamaVocabularyTests
{
    private static readonly LlamaVocabularyStatus s_status = LlamaVocabulary.Check();

    [Fact]
    public void CountPromptTokens_WithMetaVocabulary_ReproducesGroqExamples()
    {
        ITokenCounter llama = RequireVocabulary().GetCounter("llama-3.3-70b-versatile");

        Assert.Equal(TokenVocabularies.Llama3, llama.Vocabulary);
        Assert.True(llama.IsExact);
        Assert.Equal(48, llama.CountPromptTokens([new("system", "You are a helpful assistant."), new("user", "What is the capital of France?")]));
        Assert.Equal(41, llama.CountPromptTokens([new("user", "Say hello in onesentence.")]));
        Assert.Equal(8, llama.CountCompletionTokens("The capital of France is Paris."));
        Assert.Equal(30, llama.CountPromptTokens([]));
    }

    [Fact]
    public void Estimate_WithMetaVocabulary_IsExact()
    {
        var estimator = new RequestTokenEstimator(RequireVocabulary());

        RequestTokenEstimate estimate = estimator.Estimate(
            "llama-3.1-8b-instant",
            """{"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"}]}"""u8);

        Assert.Equal(new RequestTokenEstimate(48, 48, true, TokenVocabularies.Llama3), estimate);
    }

    [Fact]
    public void CountTokens_WithMetaVocabulary_EqualsMicrosoftTokenizerWithLlamaPattern()
    {
        TokenCounterProvider provider = RequireVocabulary();
        ITokenCounter llama = provider.GetCounter("llama-3.1-8b-instant");
        using FileStream stream = File.OpenRead(s_status.Path);
        TiktokenTokenizer reference = TiktokenTokenizer.Create(
            stream, new RegexPreTokenizer(PreTokenizerPatterns.Llama3Regex(), SpecialTokens.Llama3), normalizer: null, SpecialTokens.Llama3);

        TokenTestText.Text.Sample(text => llama.CountTokens(text) == reference.CountTokens(text), iter: 1_000, print: text => text);
        Assert.Equal(reference.CountTokens("Привет, мир! 你好，世界"), llama.CountTokens("Привет, мир! 你好，世界"));
    }

    [Fact]
    public void Describe_WithMetaVocabulary_ShowsTheLicenceNotice()
    {
        TokenCounterDescription description = RequireVocabulary().Describe("llama-3.3-70b-versatile");

        Assert.Contains(LlamaVocabulary.LicenseNotice, description.Note, StringComparison.Ordinal);
        Assert.Contains(LlamaVocabulary.Attribution, description.Note, StringComparison.Ordinal);
    }

    private static TokenCounterProvider RequireVocabulary()
    {
        Assert.SkipUnless(
            s_status.State == LlamaVocabularyState.Installed,
            $"Meta's Llama 3 vocabulary is not installed at {s_status.Path} (install it with `tokens install-vocab llama3`).");
        return new TokenCounterProvider();
    }
}
