using System.Text;

namespace SkGroq.Emulator.Chat;

/// <summary>Answer text split into token-counted pieces (one SSE chunk each), with cutting at a character or token budget.</summary>
internal sealed class PieceText
{
    private readonly StringBuilder _text = new();
    private string? _cached;

    public List<TextPiece> Pieces { get; } = [];

    public int Tokens { get; private set; }

    public int Length => _text.Length;

    public string Text => _cached ??= _text.ToString();

    public void Append(string piece, int tokens)
    {
        if (piece.Length == 0)
        {
            return;
        }

        Pieces.Add(new TextPiece(_text.Length, piece.Length, tokens));
        _text.Append(piece);
        Tokens += tokens;
        _cached = null;
    }

    public ReadOnlySpan<char> Slice(TextPiece piece) => Text.AsSpan(piece.Start, piece.Length);

    /// <summary>Cuts the text at a character offset; the piece containing it is recounted.</summary>
    public void CutAt(int offset, Func<string, int> count)
    {
        if (offset >= _text.Length)
        {
            return;
        }

        string text = Text;
        int keep = 0;
        while (keep < Pieces.Count && Pieces[keep].Start + Pieces[keep].Length <= offset)
        {
            keep++;
        }

        TextPiece? partial = keep < Pieces.Count && Pieces[keep].Start < offset ? Pieces[keep] : null;
        Pieces.RemoveRange(keep, Pieces.Count - keep);
        _text.Length = offset;
        _cached = null;
        if (partial is { } p)
        {
            string head = text.Substring(p.Start, offset - p.Start);
            Pieces.Add(new TextPiece(p.Start, head.Length, count(head)));
        }

        Tokens = 0;
        foreach (TextPiece piece in Pieces)
        {
            Tokens += piece.Tokens;
        }
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
        for (int i = 0; i < Pieces.Count; i++)
        {
            TextPiece piece = Pieces[i];
            if (used + piece.Tokens <= budget)
            {
                used += piece.Tokens;
                continue;
            }

            int remaining = budget - used;
            int keepChars = remaining <= 0 ? 0 : LongestPrefix(Text.AsSpan(piece.Start, piece.Length), remaining, count);
            CutAt(piece.Start + keepChars, count);
            return Tokens;
        }

        return Tokens;
    }

    private static int LongestPrefix(ReadOnlySpan<char> piece, int budget, Func<string, int> count)
    {
        int low = 0;
        int high = piece.Length - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            int end = char.IsHighSurrogate(piece[middle - 1]) ? middle - 1 : middle;
            if (end > 0 && count(piece[..end].ToString()) <= budget)
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
