using System.Collections.Frozen;

namespace SkGroq.Tokens.Counting;

/// <summary>The special tokens of a chat format (all spelled <c>&lt;|…|&gt;</c>), recognised in text as one token each.</summary>
internal sealed class SpecialTokenSet
{
    private readonly FrozenSet<string> _tokens;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _maxLength;

    /// <summary>Initializes a new instance of the <see cref="SpecialTokenSet"/> class.</summary>
    /// <param name="tokens">The special tokens; each must start with <c>&lt;|</c> and end with <c>|&gt;</c>.</param>
    public SpecialTokenSet(IEnumerable<string> tokens)
    {
        _tokens = tokens.ToFrozenSet(StringComparer.Ordinal);
        foreach (string token in _tokens)
        {
            if (!token.StartsWith("<|", StringComparison.Ordinal) || !token.EndsWith("|>", StringComparison.Ordinal) || token.Length < 4)
            {
                throw new ArgumentException($"Special token '{token}' must be spelled <|…|>.", nameof(tokens));
            }
        }

        _lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
        _maxLength = _tokens.Count == 0 ? 0 : _tokens.Max(t => t.Length);
    }

    /// <summary>Gets an empty set.</summary>
    public static SpecialTokenSet Empty { get; } = new([]);

    /// <summary>Gets the special tokens.</summary>
    public IReadOnlySet<string> Tokens => _tokens;

    /// <summary>Counts text: special tokens count one each, the text between them is counted by the engine.</summary>
    /// <param name="text">The text.</param>
    /// <param name="engine">The vocabulary engine for ordinary text.</param>
    /// <returns>The number of tokens.</returns>
    public int Count(ReadOnlySpan<char> text, BpeEngine engine)
    {
        if (_maxLength == 0)
        {
            return engine.CountOrdinary(text);
        }

        int total = 0;
        int start = 0;
        int search = 0;
        while (true)
        {
            int relative = text[search..].IndexOf("<|", StringComparison.Ordinal);
            if (relative < 0)
            {
                break;
            }

            int open = search + relative;

            // Look for the closing "|>" only as far as the longest special token reaches: text full of "<|" stays linear.
            ReadOnlySpan<char> window = text.Slice(open + 2, Math.Min(_maxLength - 2, text.Length - open - 2));
            int close = window.IndexOf("|>", StringComparison.Ordinal);
            int end = open + 2 + close + 2;
            if (close >= 0 && _lookup.Contains(text[open..end]))
            {
                total += engine.CountOrdinary(text[start..open]) + 1;
                start = end;
                search = end;
            }
            else
            {
                search = open + 1;
            }
        }

        return total + engine.CountOrdinary(text[start..]);
    }
}
