namespace SkGroq.Tokens.Counting;

/// <summary>Counts text with one vocabulary and the special tokens of one chat format.</summary>
/// <remarks>Texts of <see cref="TextCountCache.MinLength"/> characters or more are counted once and then answered from a <see cref="TextCountCache"/>.</remarks>
internal sealed class TextCounter
{
    private static readonly TextCountCache.CountText<TextCounter> s_count = static (text, self) => self.CountUncached(text);
    private readonly BpeEngine _engine;
    private readonly SpecialTokenSet _specials;
    private readonly TextCountCache _cache = new();

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
    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _cache.GetOrCount(text, this, s_count);

    /// <summary>Counts the tokens of a text without the whole-text cache (benchmarks of counting itself, and tests of the cache).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public int CountUncached(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _specials.Count(text, _engine);
}
