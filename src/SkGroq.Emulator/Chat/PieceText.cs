namespace SkGroq.Emulator.Chat;

/// <summary>Answer text as token-counted pieces (one SSE chunk each), with cutting at a character or token budget.</summary>
/// <remarks>Pieces are kept as references (the generator's are shared strings); the whole text is built once, when asked for.</remarks>
internal sealed class PieceText
{
    private readonly List<TextPiece> _pieces;
    private string? _text;

    /// <summary>Initializes a new instance of the <see cref="PieceText"/> class.</summary>
    /// <param name="capacity">The pieces expected (about one per token).</param>
    public PieceText(int capacity = 16) => _pieces = new List<TextPiece>(capacity);

    /// <summary>Gets an empty text (tool-call answers); never appended to.</summary>
    public static PieceText Empty { get; } = new(0);

    public IReadOnlyList<TextPiece> Pieces => _pieces;

    public int Tokens { get; private set; }

    public int Length { get; private set; }

    public string Text => _text ??= Join();

    public void Append(string piece, int tokens)
    {
        System.Diagnostics.Debug.Assert(!ReferenceEquals(this, Empty), "The shared empty text is never appended to.");
        if (piece.Length == 0)
        {
            return;
        }

        _pieces.Add(new TextPiece(piece, tokens));
        Length += piece.Length;
        Tokens += tokens;
        _text = null;
    }

    /// <summary>Cuts the text at a character offset; the piece containing it is recounted.</summary>
    public void CutAt(int offset, Func<string, int> count)
    {
        if (offset >= Length)
        {
            return;
        }

        int start = 0;
        int keep = 0;
        while (keep < _pieces.Count && start + _pieces[keep].Text.Length <= offset)
        {
            start += _pieces[keep].Text.Length;
            keep++;
        }

        string? head = keep < _pieces.Count && start < offset ? _pieces[keep].Text[..(offset - start)] : null;
        _pieces.RemoveRange(keep, _pieces.Count - keep);
        if (head is not null)
        {
            _pieces.Add(new TextPiece(head, count(head)));
        }

        Recount();
    }

    /// <summary>Keeps at most <paramref name="budget"/> tokens; a piece that does not fit whole is cut to the longest prefix that does.</summary>
    /// <returns>The tokens kept.</returns>
    public int Truncate(int budget, Func<string, int> count)
    {
        if (Tokens <= budget)
        {
            return Tokens;
        }

        int used = 0;
        for (int i = 0; i < _pieces.Count; i++)
        {
            TextPiece piece = _pieces[i];
            if (used + piece.Tokens <= budget)
            {
                used += piece.Tokens;
                continue;
            }

            int remaining = budget - used;
            int keepChars = remaining <= 0 ? 0 : LongestPrefix(piece.Text, remaining, count);
            _pieces.RemoveRange(i, _pieces.Count - i);
            if (keepChars > 0)
            {
                string head = piece.Text[..keepChars];
                _pieces.Add(new TextPiece(head, count(head)));
            }

            Recount();
            return Tokens;
        }

        return Tokens;
    }

    private void Recount()
    {
        Tokens = 0;
        Length = 0;
        foreach (TextPiece piece in _pieces)
        {
            Tokens += piece.Tokens;
            Length += piece.Text.Length;
        }

        _text = null;
    }

    private string Join()
    {
        if (_pieces.Count == 0)
        {
            return string.Empty;
        }

        return string.Create(Length, _pieces, static (span, pieces) =>
        {
            foreach (TextPiece piece in pieces)
            {
                piece.Text.CopyTo(span);
                span = span[piece.Text.Length..];
            }
        });
    }

    private static int LongestPrefix(string piece, int budget, Func<string, int> count)
    {
        int low = 0;
        int high = piece.Length - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            int end = char.IsHighSurrogate(piece[middle - 1]) ? middle - 1 : middle;
            if (end > 0 && count(piece[..end]) <= budget)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low > 0 && char.IsHighSurrogate(piece[low - 1]) ? low - 1 : low;
    }
}
