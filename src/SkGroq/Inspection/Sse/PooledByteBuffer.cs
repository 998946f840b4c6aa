using System.Buffers;

namespace SkGroq.Inspection.Sse;

/// <summary>A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>, as an object that can be passed around (see <see cref="PooledBytes"/>).</summary>
internal sealed class PooledByteBuffer : IDisposable
{
    private PooledBytes _bytes;

    /// <summary>Initializes a new instance of the <see cref="PooledByteBuffer"/> class.</summary>
    /// <param name="initialCapacity">The first rental's minimum size; 0 rents nothing until the first append.</param>
    public PooledByteBuffer(int initialCapacity = 0)
    {
        _bytes = new PooledBytes(initialCapacity);
    }

    /// <inheritdoc cref="PooledBytes.Length"/>
    public int Length => _bytes.Length;

    /// <inheritdoc cref="PooledBytes.WrittenSpan"/>
    public ReadOnlySpan<byte> WrittenSpan => _bytes.WrittenSpan;

    /// <inheritdoc cref="PooledBytes.Append(ReadOnlySpan{byte})"/>
    public void Append(ReadOnlySpan<byte> bytes) => _bytes.Append(bytes);

    /// <inheritdoc cref="PooledBytes.Append(byte)"/>
    public void Append(byte value) => _bytes.Append(value);

    /// <inheritdoc cref="PooledBytes.Dispose"/>
    public void Dispose() => _bytes.Dispose();
}
