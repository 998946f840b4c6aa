namespace SkGroq.Tokens.Counting;

/// <summary>Counts text with one vocabulary and the special tokens of one chat format.</summary>
internal sealed class TextCounter
{
    private readonly BpeEngine _engine;
    private readonly SpecialTokenSet _specials;

    /// <summary>Initializes a new instance of the <see cref="TextCounter"/> class.</summary>
    /// <param name="vocabulary">The vocabulary name reported (one of <see cref="TokenVocabularies"/>).</param>
    /// <param name="engine">The BPE engine.</param>
    /// <param name="specials">The special tokens recognised in text.</param>
    public TextCounter(string vocabulary, BpeEngine engine, SpecialTokenSet specials)
    {
        Vocabulary = vocabulary;
        _engine = engine;
        _specials = specials;
    }

    /// <summary>Gets the vocabulary name.</summary>
    public string Vocabulary { get; }

    /// <summary>Counts the tokens of a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _specials.Count(text, _engine);
}
