using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace SkGroq.Tokens.Counting;

/// <summary>
/// A bounded, lock-free cache of the token counts of whole texts — in practice message contents, which a chat sends again
/// on every turn (the system prompt, the history, retrieved passages that come back).
/// </summary>
/// <remarks>
/// Direct-mapped: a text's 128-bit XxHash picks one slot, which holds the hash, the length and the count of the last text
/// that landed there. A hit needs the same hash and length, so a wrong count would take a 128-bit collision. Hashing is
/// about two orders of magnitude cheaper than counting (a 5,000-character text: well under a microsecond against tens).
/// Texts shorter than <see cref="MinLength"/> (a word or two) are not cached: <see cref="PieceCountCache"/> answers them at about
/// the cost of the hash. A one-line question is already worth it: splitting it into pieces costs ≈ 0.3 µs, the hash a few
/// nanoseconds. Slots are replaced whole (one reference write), so readers never see a torn entry.
/// </remarks>
internal sealed class TextCountCache
{
    /// <summary>The shortest text cached.</summary>
    internal const int MinLength = 16;

    /// <summary>The default number of slots.</summary>
    internal const int DefaultSlots = 4096;

    private readonly Entry?[] _slots;
    private readonly int _mask;

    /// <summary>Initializes a new instance of the <see cref="TextCountCache"/> class.</summary>
    /// <param name="slots">The number of slots, a power of two.</param>
    public TextCountCache(int slots = DefaultSlots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        if (!int.IsPow2(slots))
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "The number of slots must be a power of two.");
        }

        _slots = new Entry?[slots];
        _mask = slots - 1;
    }

    /// <summary>Counts a text through the cache.</summary>
    /// <typeparam name="TState">The counter's state.</typeparam>
    /// <param name="text">The text.</param>
    /// <param name="state">Passed to <paramref name="count"/>.</param>
    /// <param name="count">Counts the text when it is not cached.</param>
    /// <returns>The count.</returns>
    public int GetOrCount<TState>(ReadOnlySpan<char> text, TState state, CountText<TState> count)
    {
        if (text.Length < MinLength)
        {
            return count(text, state);
        }

        UInt128 hash = XxHash128.HashToUInt128(MemoryMarshal.AsBytes(text));
        ref Entry? slot = ref _slots[(int)(ulong)hash & _mask];
        Entry? entry = Volatile.Read(ref slot);
        if (entry is not null && entry.Hash == hash && entry.Length == text.Length)
        {
            return entry.Count;
        }

        int counted = count(text, state);
        Volatile.Write(ref slot, new Entry(hash, text.Length, counted));
        return counted;
    }

    /// <summary>Counts a text.</summary>
    /// <typeparam name="TState">The counter's state.</typeparam>
    /// <param name="text">The text.</param>
    /// <param name="state">The counter's state.</param>
    /// <returns>The count.</returns>
    internal delegate int CountText<TState>(ReadOnlySpan<char> text, TState state);

    private sealed record Entry(UInt128 Hash, int Length, int Count);
}
