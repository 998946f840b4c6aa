using SkGroq.Inspection.Sse;

namespace SkGroq.Caching.Conversion;

/// <summary>
/// The content stream of a streamed answer that may be stored: every read is handed to the caller as it is — nothing is
/// buffered, held back or delayed — while an <see cref="SseChunkRecorder"/> keeps a copy of the payloads that went by.
/// </summary>
/// <remarks>
/// The <c>ended</c> callback is called exactly once: with the recorder when <c>data: [DONE]</c> went by, with
/// <see langword="null"/> when the stream failed, was cut, was cancelled, was disposed first, or could not be recorded
/// (an error frame, past the size limit) — at the moment that is known, so followers waiting for this answer never wait
/// for nothing.
/// </remarks>
internal sealed class RecordingStream : ReadOnlySseStream
{
    private readonly Stream _inner;
    private readonly SseChunkRecorder _recorder;
    private readonly Action<SseChunkRecorder?> _ended;
    private int _endedFlag;
    private int _reading;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="RecordingStream"/> class.</summary>
    /// <param name="inner">The stream from the handlers below.</param>
    /// <param name="recorder">Keeps the payloads; disposed by this stream.</param>
    /// <param name="ended">Called once, synchronously, when the recording ends; must not throw.</param>
    public RecordingStream(Stream inner, SseChunkRecorder recorder, Action<SseChunkRecorder?> ended)
    {
        _inner = inner;
        _recorder = recorder;
        _ended = ended;
    }

    /// <inheritdoc />
    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _endedFlag) != 0)
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _reading, 1);
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            OnRead(buffer.Span[..read], buffer.IsEmpty);
        }
        catch
        {
            End(done: false, fromReader: true);
            throw;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }

        return read;
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (Volatile.Read(ref _endedFlag) != 0)
        {
            return _inner.Read(buffer);
        }

        Volatile.Write(ref _reading, 1);
        int read;
        try
        {
            read = _inner.Read(buffer);
            OnRead(buffer[..read], buffer.IsEmpty);
        }
        catch
        {
            End(done: false, fromReader: true);
            throw;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }

        return read;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            End(done: false, fromReader: false);
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            End(done: false, fromReader: false);
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnRead(ReadOnlySpan<byte> data, bool probe)
    {
        if (Volatile.Read(ref _endedFlag) != 0)
        {
            return;
        }

        if (data.IsEmpty)
        {
            if (!probe)
            {
                // The body ended without [DONE]: cut off.
                End(done: false, fromReader: true);
            }

            return;
        }

        SseRecorderState state = _recorder.Feed(data);
        if (state != SseRecorderState.Recording)
        {
            End(done: state == SseRecorderState.Done, fromReader: true);
        }
    }

    private void End(bool done, bool fromReader)
    {
        if (Interlocked.Exchange(ref _endedFlag, 1) != 0)
        {
            return;
        }

        try
        {
            _ended(done ? _recorder : null);
        }
        finally
        {
            // A read still running on another thread (a dispose racing it) may be using the scanner's pooled buffers: leave them to the GC then.
            if (fromReader || Volatile.Read(ref _reading) == 0)
            {
                _recorder.Dispose();
            }
        }
    }
}
