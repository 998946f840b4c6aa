using System.Collections.Concurrent;
using SkGroq.Models;
using SkGroq.Tokens;

namespace SkGroq.Emulator.Tokens;

/// <summary>The emulator's counts come from SkGroq's own token counter, so the emulator charges what the client expects Groq to charge.</summary>
/// <remarks><c>prompt_tokens</c> is <see cref="RequestTokenEstimator"/>'s <see cref="RequestTokenEstimate.PromptTokens"/> (never calibrated).</remarks>
internal sealed class SkGroqTokenizer : IEmulatorTokenizer
{
    private readonly TokenCounterProvider _counters;
    private readonly RequestTokenEstimator _estimator;
    private readonly ConcurrentDictionary<string, int> _frames = new(StringComparer.Ordinal);

    public SkGroqTokenizer(ModelCatalog catalog, string? vocabularyDirectory)
    {
        _counters = new TokenCounterProvider(catalog, new TokenCountingOptions { VocabularyDirectory = vocabularyDirectory });
        _estimator = new RequestTokenEstimator(_counters);
    }

    public int CountPromptTokens(string model, ReadOnlySpan<byte> requestJson)
        => checked((int)_estimator.Estimate(model, requestJson).PromptTokens);

    public int CountTokens(string model, string text) => _counters.GetCounter(model).CountTokens(text);

    public int EndOfTurnTokens(string model) => _counters.GetCounter(model).EndOfTurnTokens;

    public int ReasoningFrameTokens(string model) => _frames.GetOrAdd(model, static (m, counters) =>
    {
        // The frame around reasoning (Qwen3's <think>…</think>) is what CountCompletionTokens adds beyond the texts and the end of turn.
        ITokenCounter counter = counters.GetCounter(m);
        return counter.CountCompletionTokens(string.Empty, "x") - counter.CountTokens("x") - counter.EndOfTurnTokens;
    }, _counters);
}
