using SkGroq.Inspection.Sse;

namespace SkGroq.Caching.Conversion;

/// <summary>
/// Replays stored SSE payloads as Groq's framing — <c>data: {payload}\n\n</c> per chunk, then <c>data: [DONE]\n\n</c> —
/// at once, or one frame per read with a pause between frames (by the injected <see cref="TimeProvider"/>).
/// </summary>
/// <remarks>
/// Nothing is copied up front: each read copies the next bytes of the next frame into the caller's buffer. Unpaced, a read
/// fills the buffer with as many frames as fit; paced, a read returns at most one frame. Synchronous reads are never paced
/// (a thread must not be blocked to wait). An <see cref="IReplayListener"/> hears each payload frame the reader receives and,
/// once, how the replay ended: read to <c>[DONE]</c>, cancelled, or disposed before its end.
/// </remarks>
internal sealed class SseReplayStream : ReadOnlySseStream
{
    private readonly ReadOnlyMemory<ReadOnlyMemory<byte>> _chunks;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly IReplayListener? _listener;
    private CancellationToken _readerToken;
    private int _ended;
    private int _frame;
    private int _part;
    private int _offset;
    private bool _paused;

    /// <summary>Initializes a new instance of the <see cref="SseReplayStream"/> class.</summary>
    /// <param name="chunks">The payloads, in order, without <c>[DONE]</c>.</param>
    /// <param name="interval">The pause before each frame after the first; zero for none.</param>
    /// <param name="timeProvider">The clock of the pauses.</param>
    /// <param name="listener">Hears the reader's progress and the replay's end.</param>
    public SseReplayStream(ReadOnlyMemory<ReadOnlyMemory<byte>> chunks, TimeSpan interval, TimeProvider timeProvider, IReplayListener? listener = null)
    {
        _chunks = chunks;
        _interval = interval;
        _timeProvider = timeProvider;
        _listener = listener;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    private static ReadOnlySpan<byte> Prefix => "data: "u8;

    private static ReadOnlySpan<byte> Suffix => "\n\n"u8;

    private static ReadOnlySpan<byte> Done => "data: [DONE]\n\n"u8;

    private bool Paced => _interval > TimeSpan.Zero;

    private bool Finished => _frame > _chunks.Length;

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _readerToken = cancellationToken;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Paced && _frame > 0 && _part == 0 && _offset == 0 && !_paused && !Finished && !buffer.IsEmpty)
            {
                await Task.Delay(_interval, _timeProvider, cancellationToken).ConfigureAwait(false);
                _paused = true;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            End(ReplayEnd.Cancelled);
            throw;
        }

        return Fill(buffer.Span, oneFrame: Paced);
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer) => Fill(buffer, oneFrame: false);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !Finished)
        {
            End(_readerToken.IsCancellationRequested ? ReplayEnd.Cancelled : ReplayEnd.Abandoned);
        }

        base.Dispose(disposing);
    }

    private int Fill(Span<byte> buffer, bool oneFrame)
    {
        int written = 0;
        while (written < buffer.Length && !Finished)
        {
            ReadOnlySpan<byte> part = CurrentPart();
            int count = Math.Min(part.Length - _offset, buffer.Length - written);
            part.Slice(_offset, count).CopyTo(buffer[written..]);
            written += count;
            _offset += count;
            if (_offset < part.Length)
            {
                break;
            }

            _offset = 0;
            if (_frame == _chunks.Length || ++_part == 3)
            {
                _part = 0;
                _frame++;
                _paused = false;
                if (Finished)
                {
                    End(ReplayEnd.Completed);
                }
                else
                {
                    _listener?.FrameRead(_frame);
                }

                if (oneFrame)
                {
                    break;
                }
            }
        }

        return written;
    }

    private void End(ReplayEnd end)
    {
        if (_listener is not null && Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _listener.Ended(end, Math.Min(_frame, _chunks.Length));
        }
    }

    private ReadOnlySpan<byte> CurrentPart()
        => _frame == _chunks.Length ? Done : _part switch
        {
            0 => Prefix,
            1 => _chunks.Span[_frame].Span,
            _ => Suffix,
        };
}
