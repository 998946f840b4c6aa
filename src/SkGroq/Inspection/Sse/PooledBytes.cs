using System.Buffers;

namespace SkGroq.Inspection.Sse;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: appends copy, nothing is allocated once it is large enough.</summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Initializes a new instance of the <see cref="PooledByteBuffer"/> class.</summary>
    /// <param name="initialCapacity">The first rental's minimum size; 0 rents nothing until the first append.</param>
    public PooledByteBuffer(int initialCapacity = 0)
    {
        _buffer = initialCapacity > 0 ? ArrayPool<byte>.Shared.Rent(initialCapacity) : [];
    }

    /// <summary>Gets the number of bytes held.</summary>
    public int Length => _length;

    /// <summary>Gets the size of the rented array (0 when none is rented).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Gets the bytes held; valid until the next append, clear or dispose.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

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
        _buffer[_length++] = value;
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
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _buffer.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(256, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }
}
