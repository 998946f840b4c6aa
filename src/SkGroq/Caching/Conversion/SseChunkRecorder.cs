using SkGroq.Inspection.Sse;
namespace SkGroq.Caching.Conversion;

/// <summary>
/// Keeps the data payloads of a chat-completion stream as they go by, piece by piece, so a stream that ends with
/// <c>data: [DONE]</c> can be stored exactly as Groq sent it.
/// </summary>
/// <remarks>
/// Pure logic, no I/O: fed the bytes a reader has just received, never holds them back. Recording stops for good when a
/// frame is not a plain data frame (an <c>event: error</c>, a data-only <c>{"error":…}</c>), or when the payloads would pass
/// the size limit; <see cref="State"/> says so, and the stream is then not stored.
/// </remarks>
internal sealed class SseChunkRecorder : IDisposable
{
    private readonly SseFrameScanner _scanner = new();
    private readonly int _maxBytes;
    private byte[] _payloads;
    private int _length;
    private int[] _ends = new int[32];
    private int _count;

    /// <summary>Initializes a new instance of the <see cref="SseChunkRecorder"/> class.</summary>
    /// <param name="maxBytes">The most payload bytes to keep; a longer stream is not recorded.</param>
    public SseChunkRecorder(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxBytes = maxBytes;
        _payloads = new byte[Math.Min(4096, maxBytes)];
    }

    /// <summary>Gets where recording stands.</summary>
    public SseRecorderState State { get; private set; }

    /// <summary>Gets the number of payloads kept.</summary>
    public int Count => _count;

    /// <summary>Scans the next piece of the stream.</summary>
    /// <param name="input">The bytes just read.</param>
    /// <returns>The state after the piece.</returns>
    public SseRecorderState Feed(ReadOnlySpan<byte> input)
    {
        int offset = 0;
        while (State == SseRecorderState.Recording && _scanner.TryReadFrame(input, ref offset, out SseFrame frame))
        {
            if (!frame.EventType.IsEmpty && !frame.EventType.SequenceEqual("message"u8))
            {
                State = SseRecorderState.Rejected;
            }
            else if (frame.Data.SequenceEqual("[DONE]"u8))
            {
                State = _count > 0 ? SseRecorderState.Done : SseRecorderState.Rejected;
            }
            else if (frame.Data.StartsWith("{\"error\""u8))
            {
                State = SseRecorderState.Rejected;
            }
            else
            {
                Add(frame.Data);
            }
        }

        return State;
    }

    /// <summary>Hands over the payloads of a finished stream (exact-size copies; the recorder keeps nothing).</summary>
    /// <returns>The payloads back to back and where each ends.</returns>
    /// <exception cref="InvalidOperationException">The stream did not end with <c>[DONE]</c>.</exception>
    public (byte[] Payloads, int[] Ends) Detach()
    {
        if (State != SseRecorderState.Done)
        {
            throw new InvalidOperationException("Only a stream that ended with [DONE] is kept.");
        }

        (byte[], int[]) result = (_payloads.AsSpan(0, _length).ToArray(), _ends.AsSpan(0, _count).ToArray());
        _payloads = [];
        _ends = [];
        return result;
    }

    /// <summary>Returns the scanner's pooled buffers.</summary>
    public void Dispose() => _scanner.Dispose();

    private void Add(ReadOnlySpan<byte> payload)
    {
        if ((long)_length + payload.Length > _maxBytes)
        {
            State = SseRecorderState.TooLarge;
            _payloads = [];
            _ends = [];
            return;
        }

        if (_length + payload.Length > _payloads.Length)
        {
            Array.Resize(ref _payloads, Math.Min(Math.Max(_payloads.Length * 2, _length + payload.Length), Math.Max(_maxBytes, _length + payload.Length)));
        }

        payload.CopyTo(_payloads.AsSpan(_length));
        _length += payload.Length;
        if (_count == _ends.Length)
        {
            Array.Resize(ref _ends, _ends.Length * 2);
        }

        _ends[_count++] = _length;
    }
}
