using System.Text.RegularExpressions;

namespace SkGroq.Tokens.Counting;

/// <summary>Counts ordinary text (no special tokens) with one BPE vocabulary: split into pieces, count each piece, cache words.</summary>
/// <remarks>
/// The split is the vocabulary's own pre-tokenizer pattern run over the whole text without allocating; each piece is then
/// counted by <see cref="BpeRanks"/> (tiktoken's byte-pair merge, proven equal to Microsoft.ML.Tokenizers' count), so the
/// result equals the tokenizer's own count — except for pieces longer than <see cref="TokenCountingDefaults.MaxPieceLength"/>,
/// which are counted in chunks (see there). Thread-safe: the ranks are immutable, and the cache is lock-free.
/// </remarks>
internal sealed class BpeEngine
{
    private readonly BpeRanks _ranks;
    private readonly Regex _splitter;
    private readonly PieceCountCache _cache = new();

    /// <summary>Initializes a new instance of the <see cref="BpeEngine"/> class.</summary>
    /// <param name="ranks">The vocabulary.</param>
    /// <param name="splitter">The pre-tokenizer pattern.</param>
    public BpeEngine(BpeRanks ranks, Regex splitter)
    {
        _ranks = ranks;
        _splitter = splitter;
    }

    /// <summary>Counts the tokens of text that holds no special tokens.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    public int CountOrdinary(ReadOnlySpan<char> text)
    {
        int total = 0;
        foreach (ValueMatch match in _splitter.EnumerateMatches(text))
        {
            total += CountPiece(text.Slice(match.Index, match.Length));
        }

        return total;
    }

    private int CountPiece(ReadOnlySpan<char> piece)
    {
        if (piece.Length <= PieceCountCache.MaxKeyLength)
        {
            if (!_cache.TryGet(piece, out int count))
            {
                count = CountBpe(piece);
                _cache.Add(piece, count);
            }

            return count;
        }

        return piece.Length <= TokenCountingDefaults.MaxPieceLength ? CountBpe(piece) : CountLongPiece(piece);
    }

    private int CountLongPiece(ReadOnlySpan<char> piece)
    {
        int total = 0;
        while (piece.Length > TokenCountingDefaults.MaxPieceLength)
        {
            // Never cut a surrogate pair: each half would count as an invalid byte sequence.
            int cut = char.IsHighSurrogate(piece[TokenCountingDefaults.MaxPieceLength - 1])
                ? TokenCountingDefaults.MaxPieceLength - 1
                : TokenCountingDefaults.MaxPieceLength;
            total += CountBpe(piece[..cut]);
            piece = piece[cut..];
        }

        return total + CountBpe(piece);
    }

    private int CountBpe(ReadOnlySpan<char> piece) => _ranks.CountTokens(piece);
}
