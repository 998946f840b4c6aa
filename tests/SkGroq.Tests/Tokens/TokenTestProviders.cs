using SkGroq.Tokens;

namespace SkGroq.Tests.Tokens;

/// <summary>Token counter providers for tests, independent of what is installed on the machine.</summary>
internal static class TokenTestProviders
{
    /// <summary>Gets a directory that never holds a vocabulary: Llama 3 counts fall back to cl100k_base.</summary>
    public static string EmptyVocabularyDirectory { get; } = Path.Combine(Path.GetTempPath(), "skgroq-tests-no-vocabulary");

    /// <summary>Gets a provider without Meta's vocabulary (shared: counters are immutable).</summary>
    public static TokenCounterProvider WithoutLlamaVocabulary { get; } = new(options: new TokenCountingOptions { VocabularyDirectory = EmptyVocabularyDirectory });
}
