using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Tokenizers;
using SkGroq.Tokens;
using SkGroq.Tokens.Counting;

namespace SkGroq.Benchmarks.Tokens;

/// <summary>Token counting speed: a short prompt, a 1,000-token prompt, a 200,000-character unbroken input, and a whole request estimate.</summary>
/// <remarks>
/// Counters are warm (vocabularies loaded, common words cached), as in a running service. The counting rows measure
/// counting itself (<see cref="TextCounter.CountUncached"/>); the rows named "SeenBefore" and "Repeated" measure a text the
/// whole-text cache (<see cref="TextCountCache"/>) already holds, as a chat's history and system prompt are on every turn.
/// </remarks>
[MemoryDiagnoser]
public class TokenCountingBenchmarks
{
    private const string Llama = "llama-3.3-70b-versatile";
    private const string GptOss = "openai/gpt-oss-120b";

    private readonly TokenCounterProvider _provider = new();
    private readonly TiktokenTokenizer _harmony = TiktokenTokenizer.CreateForModel("gpt-oss-120b");
    private TokenCounter _llama = null!;
    private TokenCounter _gptOss = null!;
    private RequestTokenEstimator _estimator = null!;
    private string _short = null!;
    private string _thousandTokens = null!;
    private string _unbrokenLetters = null!;
    private string _unbrokenSpaces = null!;
    private byte[] _request = null!;
    private string[] _uncached = null!;
    private byte[][] _newRequests = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _llama = (TokenCounter)_provider.GetCounter(Llama);
        _gptOss = (TokenCounter)_provider.GetCounter(GptOss);
        _estimator = new RequestTokenEstimator(_provider);
        _short = "What is the capital of France?";
        _thousandTokens = BenchmarkText.Prose(_llama, 1_000);
        _unbrokenLetters = BenchmarkText.RandomLetters(200_000);
        _unbrokenSpaces = new string(' ', 200_000);
        _request = Encoding.UTF8.GetBytes(BenchmarkText.ChatRequest(Llama, "You are a helpful assistant.", _thousandTokens));

        // Twice as many distinct requests as the whole-text cache has slots: each one's texts are counted anew.
        _newRequests = [.. Enumerable.Range(0, 2 * TextCountCache.DefaultSlots).Select(i => Encoding.UTF8.GetBytes(
            BenchmarkText.ChatRequest(Llama, $"You are a helpful assistant (session {i}).", $"Question {i}: {_thousandTokens}")))];

        // More distinct words than the word cache holds, so every call pays the full BPE merge for every word (the worst case).
        _uncached = BenchmarkText.PseudoWordTexts(count: 512, words: 330);
        Console.WriteLine(
            $"// llama vocabulary: {_llama.Vocabulary}; 1,000-token prompt: {_thousandTokens.Length} chars, {_llama.CountTokens(_thousandTokens)} llama tokens, "
            + $"{_gptOss.CountTokens(_thousandTokens)} gpt-oss tokens; pseudo-word prompt: {_uncached[0].Length} chars, {_llama.CountTokens(_uncached[0])} llama tokens");
    }

    [Benchmark]
    public int ShortPrompt_Llama3() => _llama.Text.CountUncached(_short);

    [Benchmark]
    public int Prompt1000Tokens_Llama3() => _llama.Text.CountUncached(_thousandTokens);

    [Benchmark]
    public int Prompt1000Tokens_GptOss() => _gptOss.Text.CountUncached(_thousandTokens);

    /// <summary>The same text again, as a chat's history is on every turn: answered by the whole-text cache.</summary>
    [Benchmark]
    public int Prompt1000TokensSeenBefore_Llama3() => _llama.CountTokens(_thousandTokens);

    /// <summary>Baseline: Microsoft.ML.Tokenizers' own count of the same text with the same vocabulary.</summary>
    [Benchmark]
    public int Prompt1000Tokens_MicrosoftTokenizerBaseline_GptOss() => _harmony.CountTokens(_thousandTokens);

    [Benchmark]
    public int Prompt1000TokensUncachedWords_Llama3() => _llama.Text.CountUncached(_uncached[_next++ & 511]);

    [Benchmark]
    public int Unbroken200kLetters_Llama3() => _llama.Text.CountUncached(_unbrokenLetters);

    [Benchmark]
    public int Unbroken200kSpaces_Llama3() => _llama.Text.CountUncached(_unbrokenSpaces);

    [Benchmark]
    public int Unbroken200kLetters_GptOss() => _gptOss.Text.CountUncached(_unbrokenLetters);

    /// <summary>A request whose system prompt and question the estimator has not seen (each call another of 8,192).</summary>
    [Benchmark]
    public long EstimateRequest1000Tokens_Llama3() => _estimator.Estimate(Llama, _newRequests[_next++ & ((2 * TextCountCache.DefaultSlots) - 1)]).PromptTokens;

    /// <summary>The same request again (its texts answered by the whole-text cache).</summary>
    [Benchmark]
    public long EstimateRequest1000TokensRepeated_Llama3() => _estimator.Estimate(Llama, _request).PromptTokens;
}
