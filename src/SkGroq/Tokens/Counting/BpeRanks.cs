using System.Numerics;
using System.Runtime.CompilerServices;

namespace SkGroq.Tokens.Counting;

/// <summary>
/// A tiktoken BPE vocabulary held for counting only: the byte sequence of every rank in one array, and an open-addressing
/// table from bytes to rank. Counting needs nothing else — no decoder, no string vocabulary — so a 100,000-rank vocabulary
/// takes about 2 MB instead of the ≈ 25 MB a full tokenizer keeps.
/// </summary>
/// <remarks>
/// A piece counts as tiktoken counts it: one token when its bytes are a rank; otherwise the byte-pair merge, which joins the
/// adjacent pair of lowest rank (the leftmost on a tie) until no pair is a rank, and counts the parts left. Text is encoded
/// as UTF-8, an unpaired surrogate as its own three bytes (as Microsoft.ML.Tokenizers encodes it). The counts are proven equal to Microsoft.ML.Tokenizers' on a large
/// corpus (<c>BpeRanksTests</c>). Immutable after loading: thread-safe.
/// </remarks>
internal sealed partial class BpeRanks
{
    /// <summary>The longest piece, in UTF-16 characters, <see cref="CountTokens(ReadOnlySpan{char})"/> accepts.</summary>
    public const int MaxPieceLength = TokenCountingDefaults.MaxPieceLength;

    private const int NoRank = int.MaxValue;
    private const int MaxPieceBytes = MaxPieceLength * 3;

    private readonly byte[] _bytes;
    private readonly int[] _offsets;
    private readonly int[] _ranks;
    private readonly int[] _slots;
    private readonly int _mask;

    private BpeRanks(byte[] bytes, int[] offsets, int[] ranks, int count)
    {
        _bytes = bytes;
        _offsets = offsets;
        _ranks = ranks;
        Count = count;
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
        _slots = new int[capacity];
        _mask = capacity - 1;
        for (int entry = 0; entry < count; entry++)
        {
            int slot = (int)Hash(Entry(entry)) & _mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & _mask;
            }

            _slots[slot] = entry + 1;
        }
    }

    /// <summary>Gets the number of ranks.</summary>
    public int Count { get; }

    /// <summary>Counts the tokens of one pre-tokenized piece.</summary>
    /// <param name="piece">The piece: at most <see cref="MaxPieceLength"/> characters.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(ReadOnlySpan<char> piece)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(piece.Length, MaxPieceLength, nameof(piece));
        if (piece.IsEmpty)
        {
            return 0;
        }

        Span<byte> utf8 = stackalloc byte[MaxPieceBytes];
        return CountTokens(utf8[..EncodeUtf8(piece, utf8)]);
    }

    /// <summary>Counts the tokens of one pre-tokenized piece given as UTF-8.</summary>
    /// <param name="piece">The piece's bytes: at most 768.</param>
    /// <returns>The number of tokens.</returns>
    public int CountTokens(ReadOnlySpan<byte> piece)
    {
        if (piece.Length <= 1)
        {
            return piece.Length;
        }

        if (Rank(piece) != NoRank)
        {
            return 1;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(piece.Length, MaxPieceBytes, nameof(piece));
        return Merge(piece);
    }

    /// <summary>UTF-8 with an unpaired surrogate written as the three bytes of its code unit (not U+FFFD), as Microsoft.ML.Tokenizers does.</summary>
    private static int EncodeUtf8(ReadOnlySpan<char> text, Span<byte> utf8)
    {
        int written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            int c = text[i];
            if (c < 0x80)
            {
                utf8[written++] = (byte)c;
            }
            else if (c < 0x800)
            {
                utf8[written++] = (byte)(0xC0 | (c >> 6));
                utf8[written++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (char.IsHighSurrogate((char)c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int scalar = char.ConvertToUtf32((char)c, text[++i]);
                utf8[written++] = (byte)(0xF0 | (scalar >> 18));
                utf8[written++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                utf8[written++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                utf8[written++] = (byte)(0x80 | (scalar & 0x3F));
            }
            else
            {
                utf8[written++] = (byte)(0xE0 | (c >> 12));
                utf8[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                utf8[written++] = (byte)(0x80 | (c & 0x3F));
            }
        }

        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a, then a multiplicative finish so the low bits (the table index) depend on every byte.
        uint hash = 2166136261;
        foreach (byte b in bytes)
        {
            hash = (hash ^ b) * 16777619;
        }

        return (hash * 0x9E3779B1) ^ (hash >> 15);
    }

    /// <summary>Gets the rank of a byte sequence, or <see langword="null"/> when it is not one.</summary>
    /// <param name="bytes">The bytes.</param>
    /// <returns>The rank.</returns>
    internal int? RankOf(ReadOnlySpan<byte> bytes) => Rank(bytes) is var rank and not NoRank ? rank : null;

    private ReadOnlySpan<byte> Entry(int entry) => _bytes.AsSpan(_offsets[entry], _offsets[entry + 1] - _offsets[entry]);

    private int Rank(ReadOnlySpan<byte> bytes)
    {
        int slot = (int)Hash(bytes) & _mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0)
            {
                return NoRank;
            }

            if (Entry(entry).SequenceEqual(bytes))
            {
                return _ranks[entry];
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>tiktoken's byte-pair merge over a piece that is not a rank itself; returns the number of parts left.</summary>
    private int Merge(ReadOnlySpan<byte> piece)
    {
        // parts[i] = where part i starts; ranks[i] = the rank of part i joined with part i + 1 (NoRank when none).
        int count = piece.Length + 1;
        Span<int> starts = stackalloc int[MaxPieceBytes + 1];
        Span<int> ranks = stackalloc int[MaxPieceBytes + 1];
        for (int i = 0; i < count; i++)
        {
            starts[i] = i;
        }

        for (int i = 0; i < count - 2; i++)
        {
            ranks[i] = Rank(piece.Slice(i, 2));
        }

        ranks[count - 2] = NoRank;
        ranks[count - 1] = NoRank;

        while (true)
        {
            int best = -1;
            int bestRank = NoRank;
            for (int i = 0; i < count - 1; i++)
            {
                if (ranks[i] < bestRank)
                {
                    bestRank = ranks[i];
                    best = i;
                }
            }

            if (best < 0)
            {
                return count - 1;
            }

            // Join parts best and best + 1: the pair ranks around the new part change; part best + 1 goes.
            if (best > 0)
            {
                ranks[best - 1] = PairRank(piece, starts, count, best - 1);
            }

            ranks[best] = PairRank(piece, starts, count, best);
            starts.Slice(best + 2, count - best - 2).CopyTo(starts[(best + 1)..]);
            ranks.Slice(best + 2, count - best - 2).CopyTo(ranks[(best + 1)..]);
            count--;
        }
    }

    /// <summary>The rank of part <paramref name="i"/> joined with the part after the next one is removed (tiktoken's <c>get_rank</c>).</summary>
    private int PairRank(ReadOnlySpan<byte> piece, ReadOnlySpan<int> starts, int count, int i)
        => i + 3 < count ? Rank(piece[starts[i]..starts[i + 3]]) : NoRank;

    private void ThrowIfDuplicated()
    {
        for (int entry = 0; entry < Count; entry++)
        {
            int rank = Rank(Entry(entry));
            if (rank != _ranks[entry])
            {
                throw new InvalidOperationException($"The vocabulary lists the byte sequence of rank {_ranks[entry]} twice (also as rank {rank}). Use an unmodified tiktoken rank file.");
            }
        }
    }
}
