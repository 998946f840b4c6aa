using System.Buffers;

namespace SkGroq.Tokens;

/// <summary>A growable character buffer on pooled arrays, for text decoded from a request body.</summary>
internal struct CharBuffer : IDisposable
{
    private char[]? _array;
    private int _length;

    /// <summary>Gets the characters written so far.</summary>
    public readonly ReadOnlySpan<char> Span => _array is null ? default : _array.AsSpan(0, _length);

    /// <summary>Gets the number of characters written so far.</summary>
    public readonly int Length => _length;

    /// <summary>Returns a writable span of at least <paramref name="size"/> characters after the written ones.</summary>
    /// <param name="size">The characters needed.</param>
    /// <returns>The span to write to; call <see cref="Advance"/> with what was written.</returns>
    public Span<char> GetSpan(int size)
    {
        int needed = _length + size;
        if (_array is null || _array.Length < needed)
        {
            char[] larger = ArrayPool<char>.Shared.Rent(Math.Max(needed, 256));
            if (_array is not null)
            {
                _array.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<char>.Shared.Return(_array);
            }

            _array = larger;
        }

        return _array.AsSpan(_length, size);
    }

    /// <summary>Marks characters written to the span from <see cref="GetSpan"/> as used.</summary>
    /// <param name="count">The characters written.</param>
    public void Advance(int count) => _length += count;

    /// <summary>Appends characters.</summary>
    /// <param name="text">The characters.</param>
    public void Append(ReadOnlySpan<char> text)
    {
        text.CopyTo(GetSpan(text.Length));
        _length += text.Length;
    }

    /// <summary>Forgets the written characters, keeping the array.</summary>
    public void Clear() => _length = 0;

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        if (_array is not null)
        {
            ArrayPool<char>.Shared.Return(_array);
            _array = null;
            _length = 0;
        }
    }
}
