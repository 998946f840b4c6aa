namespace SkGroq.Tokens.Llama;

/// <summary>Where Meta's Llama 3 vocabulary is expected and whether it is there.</summary>
/// <param name="Path">The expected file path.</param>
/// <param name="State">Whether the file is installed and verified.</param>
/// <param name="ActualSha256">The sha256 of the file found (lowercase hex); <see langword="null"/> when missing.</param>
internal sealed record LlamaVocabularyStatus(string Path, LlamaVocabularyState State, string? ActualSha256);
