namespace SkGroq.Tokens;

/// <summary>Settings of token counting.</summary>
public sealed class TokenCountingOptions
{
    /// <summary>Gets or sets the directory holding installed vocabularies (such as Meta's Llama 3 <c>tokenizer.model</c>).</summary>
    /// <value>The default is <see langword="null"/>: the user cache directory (<c>$XDG_CACHE_HOME/skgroq/vocab</c> or <c>~/.cache/skgroq/vocab</c>).</value>
    public string? VocabularyDirectory { get; set; }
}
