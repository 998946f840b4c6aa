using System.Collections.Concurrent;

namespace SkGroq.Tokens.Counting;

/// <summary>A bounded, lock-free cache of the token counts of short pre-tokenized pieces (words, mostly).</summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' own cache takes a lock on every lookup and skips pieces that are whole vocabulary entries;
/// this one answers the common case (a word seen before) with one hash lookup and no allocation.
/// When full it is cleared, so a change of workload is learned again instead of being locked out.
/// </remarks>
internal sealed class PieceCountCache
{
    /// <summary>The longest piece cached.</summary>
    internal const int MaxKeyLength = 32;

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _approximateCount;

    /// <summary>Initializes a new instance of the <see cref="PieceCountCache"/> class.</summary>
    /// <param name="capacity">The most entries kept before the cache is cleared.</param>
    public PieceCountCache(int capacity = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Looks a piece up.</summary>
    /// <param name="piece">The piece.</param>
    /// <param name="count">Its token count, when cached.</param>
    /// <returns><see langword="true"/> when cached.</returns>
    public bool TryGet(ReadOnlySpan<char> piece, out int count) => _lookup.TryGetValue(piece, out count);

    /// <summary>Caches the count of a piece.</summary>
    /// <param name="piece">The piece (at most <see cref="MaxKeyLength"/> characters).</param>
    /// <param name="count">Its token count.</param>
    public void Add(ReadOnlySpan<char> piece, int count)
    {
        if (Interlocked.Increment(ref _approximateCount) > _capacity)
        {
            // Racing clears are harmless: the cache only ever holds correct counts.
            Volatile.Write(ref _approximateCount, 0);
            _counts.Clear();
        }

        _lookup.TryAdd(piece, count);
    }
}
