using System.Collections.Concurrent;

namespace SkGroq.Tokens.Counting;

/// <summary>The BPE engines, loaded once per process on first use and shared by every counter.</summary>
internal static class BpeEngines
{
    // The ranks are read from Microsoft.ML.Tokenizers' data packages (MIT), without loading a tokenizer: counting needs only the ranks.
    private static readonly Lazy<BpeRanks> s_cl100kRanks = new(
        static () => BpeRanks.LoadPackaged("Microsoft.ML.Tokenizers.Data.Cl100kBase", "cl100k_base.tiktoken.deflate"));

    private static readonly Lazy<BpeRanks> s_o200kRanks = new(
        static () => BpeRanks.LoadPackaged("Microsoft.ML.Tokenizers.Data.O200kBase", "o200k_base.tiktoken.deflate"));

    private static readonly Lazy<BpeEngine> s_cl100k = new(static () => new BpeEngine(s_cl100kRanks.Value, PreTokenizerPatterns.Llama3Regex()));

    // o200k_harmony is o200k_base plus special tokens; special tokens are recognised by SpecialTokenSet, so one engine serves both.
    private static readonly Lazy<BpeEngine> s_o200k = new(static () => new BpeEngine(s_o200kRanks.Value, PreTokenizerPatterns.O200kRegex()));

    private static readonly ConcurrentDictionary<string, Lazy<BpeEngine>> s_llama3 = new(StringComparer.Ordinal);

    /// <summary>Gets cl100k_base's ranks.</summary>
    public static BpeRanks Cl100kRanks => s_cl100kRanks.Value;

    /// <summary>Gets o200k_base's ranks.</summary>
    public static BpeRanks O200kRanks => s_o200kRanks.Value;

    /// <summary>Gets the cl100k_base engine (split with the Llama 3 pattern, which it shares).</summary>
    public static BpeEngine Cl100k => s_cl100k.Value;

    /// <summary>Gets the o200k engine.</summary>
    public static BpeEngine O200k => s_o200k.Value;

    /// <summary>Gets the engine of Meta's Llama 3 vocabulary stored at a path (verified by the caller).</summary>
    /// <param name="path">The full path of the <c>base64 rank</c> file.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="InvalidOperationException">The file is not in tiktoken format.</exception>
    public static BpeEngine GetLlama3(string path)
    {
        Lazy<BpeEngine> engine = s_llama3.GetOrAdd(path, static p => new Lazy<BpeEngine>(() => LoadLlama3(p)));
        try
        {
            return engine.Value;
        }
        catch
        {
            // A failed load must not stick: the next counter (e.g. after the user reinstalls) tries again.
            s_llama3.TryRemove(new KeyValuePair<string, Lazy<BpeEngine>>(path, engine));
            throw;
        }
    }

    private static BpeEngine LoadLlama3(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return new BpeEngine(BpeRanks.Load(stream), PreTokenizerPatterns.Llama3Regex());
    }
}
