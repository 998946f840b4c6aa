namespace SkGroq.Tokens.Llama;

/// <summary>Whether Meta's Llama 3 vocabulary is installed.</summary>
internal enum LlamaVocabularyState
{
    /// <summary>No file at the expected path.</summary>
    Missing,

    /// <summary>The file is there and its sha256 matches Meta's <c>tokenizer.model</c>.</summary>
    Installed,

    /// <summary>A file is there but its sha256 does not match: it is ignored.</summary>
    Invalid,
}
