using System.Buffers;

namespace SkGroq.Inspection.Sse;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: appends copy, nothing is allocated once it is
/// large enough. A mutable struct, to be held in a (non-readonly) field of its owner — the SSE scanner and tap keep theirs
/// inline, so an open stream carries no object per buffer — and never copied; elsewhere use <see cref="PooledByteBuffer"/>.
/// </summary>
#pragma warning disable CA1815 // Never compared: a buffer, not a value.
internal struct PooledBytes : IDisposable
#pragma warning restore CA1815
{
    private byte[]? _buffer;
    private int _length;

    /// <summary>Initializes a new instance of the <see cref="PooledBytes"/> struct.</summary>
    /// <param name="initialCapacity">The first rental's minimum size; 0 rents nothing until the first append.</param>
    public PooledBytes(int initialCapacity)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(initialCapacity) : null;
    }

    /// <summary>Gets the number of bytes held.</summary>
    public readonly int Length => _length;

    /// <summary>Gets the size of the rented array (0 when none is rented).</summary>
    public readonly int Capacity => _buffer?.Length ?? 0;

    /// <summary>Gets the bytes held; valid until the next append, clear or dispose.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>Appends bytes.</summary>
    /// <param name="bytes">The bytes.</param>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        EnsureCapacity(_length + bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends one byte.</summary>
    /// <param name="value">The byte.</param>
    public void Append(byte value)
    {
        EnsureCapacity(_length + 1);
        _buffer![_length++] = value;
    }

    /// <summary>Shortens the content to <paramref name="length"/> bytes (to undo appends).</summary>
    /// <param name="length">The new length, at most <see cref="Length"/>.</param>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <summary>Forgets the content and keeps the rented array.</summary>
    public void Clear() => _length = 0;

    /// <summary>Forgets the content and returns the rented array to the pool; the next append rents again.</summary>
    /// <remarks>
    /// For a buffer that is only needed now and then (a line that straddles two network reads): a long-lived owner — a stream
    /// that stays open for minutes — then holds no array between those moments.
    /// </remarks>
    public void Release() => Dispose();

    /// <summary>Returns the rented array to the pool.</summary>
    public void Dispose()
    {
        byte[]? buffer = _buffer;
        _buffer = null;
        _length = 0;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int needed)
    {
        int capacity = Capacity;
        if (needed <= capacity)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(256, capacity * 2)));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
