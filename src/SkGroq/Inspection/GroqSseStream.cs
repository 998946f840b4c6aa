using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection.Sse;

namespace SkGroq.Inspection;

/// <summary>
/// The content stream of a streamed chat completion: hands every byte to the reader as soon as it arrives (nothing is
/// buffered or held back) while a <see cref="GroqStreamTap"/> watches the frames go by, and completes the response's
/// <see cref="ResponseObservation"/> once.
/// </summary>
/// <remarks>
/// Turns what Groq does mid-stream into typed exceptions thrown from the read: error frames become
/// <see cref="GroqStreamInterruptedException"/> (the frame itself is not passed on), a stall longer than the idle timeout
/// <see cref="GroqTimeoutException"/>, a broken connection or a stream without <c>data: [DONE]</c> a
/// <see cref="GroqStreamInterruptedException"/> with the text received so far. The caller's cancellation surfaces as
/// <see cref="OperationCanceledException"/>. Disposing before the end records the stream as abandoned.
/// The idle watchdog is one timer per stream that only looks at a timestamp set when a read starts, so a read costs no
/// timer reschedule; it covers asynchronous reads (synchronous reads cannot be cancelled).
/// </remarks>
internal sealed partial class GroqSseStream : ReadOnlySseStream
{
    private static readonly Action<object?> s_cancelRead = static state => ((GroqSseStream)state!).CancelPendingRead();
    private static readonly TimerCallback s_watchdog = static state => ((GroqSseStream)state!).CheckIdle();

    private readonly Stream _inner;
    private readonly GroqStreamTap _tap;
    private readonly ResponseObservation _observation;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleTimeout;
    private readonly string? _model;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource? _readCancellation;
    private CancellationToken _readerToken;
    private ITimer? _watchdogTimer;
    private long _readStarted;
    private int _reading;
    private int _idleFired;
    private int _disposed;
    private long? _firstContentTimestamp;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Initializes a new instance of the <see cref="GroqSseStream"/> class.</summary>
    /// <param name="inner">The network stream.</param>
    /// <param name="observation">The observation to complete.</param>
    /// <param name="model">The model the request was for (until a chunk names the one that answers).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="idleTimeout">The longest silence between two reads' data; <see cref="Timeout.InfiniteTimeSpan"/> turns the watchdog off.</param>
    /// <param name="logger">The logger.</param>
    public GroqSseStream(Stream inner, ResponseObservation observation, string? model, TimeProvider timeProvider, TimeSpan idleTimeout, ILogger logger)
    {
        _inner = inner;
        _tap = new GroqStreamTap(model);
        _observation = observation;
        _model = model;
        _timeProvider = timeProvider;
        _idleTimeout = idleTimeout;
        _logger = logger;
        _readCancellation = idleTimeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource();
    }

    /// <inheritdoc />
    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    /// <inheritdoc />
    /// <remarks>The state machine of a read that waits for the network is pooled: a long stream's reads allocate nothing.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _failure?.Throw();
        _readerToken = cancellationToken;
        if (_tap.Done || buffer.IsEmpty)
        {
            // After [DONE] the rest passes untouched; a zero-byte read is a readiness probe, not the end.
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        CancellationToken token = cancellationToken;
        CancellationTokenRegistration registration = default;
        if (_readCancellation is not null)
        {
            token = _readCancellation.Token;
            if (cancellationToken.CanBeCanceled)
            {
                registration = cancellationToken.UnsafeRegister(s_cancelRead, this);
            }

            _watchdogTimer ??= _timeProvider.CreateTimer(s_watchdog, this, _idleTimeout, Timeout.InfiniteTimeSpan);
        }

        Volatile.Write(ref _readStarted, _timeProvider.GetTimestamp());
        Volatile.Write(ref _reading, 1);
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not GroqException)
        {
            throw Fail(ex, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
            await registration.DisposeAsync().ConfigureAwait(false);
        }

        return OnRead(buffer.Span[..read]);
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _failure?.Throw();
        if (_tap.Done || buffer.IsEmpty)
        {
            return _inner.Read(buffer);
        }

        Volatile.Write(ref _reading, 1);
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception ex) when (ex is not GroqException)
        {
            throw Fail(ex, CancellationToken.None);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }

        return OnRead(buffer[..read]);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (BeginDispose())
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            EndDispose();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && BeginDispose())
        {
            _inner.Dispose();
            EndDispose();
        }

        base.Dispose(disposing);
    }

    private bool BeginDispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        // A reader that cancelled the token it reads with and then let go (as SDK enumerators do) cancelled; otherwise it abandoned.
        Complete(_readerToken.IsCancellationRequested ? ResponseEndKind.Cancelled : ResponseEndKind.Abandoned, null);
        _watchdogTimer?.Dispose();
        return true;
    }

    private void EndDispose()
    {
        _readCancellation?.Dispose();

        // A read still running on another thread may be using the tap's pooled buffers: leave them to the GC then.
        if (Volatile.Read(ref _reading) == 0)
        {
            _tap.Dispose();
        }
    }

    private int OnRead(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            if (_tap.Done)
            {
                return 0;
            }

            throw Fail(CutOff(), CancellationToken.None);
        }

        GroqTapResult result = _tap.Feed(data);
        if (result.FirstContent)
        {
            _firstContentTimestamp = _timeProvider.GetTimestamp();
        }

        if (result.Done)
        {
            Complete(ResponseEndKind.Completed, null);
        }

        if (result.Error)
        {
            Exception error = Fail(StreamError(), CancellationToken.None);
            if (result.PassThrough > 0)
            {
                // What came before the error frame still reaches the reader; the next read throws.
                return result.PassThrough;
            }

            throw error;
        }

        return data.Length;
    }

    /// <summary>Records how the stream failed and returns the exception to throw (also from every later read).</summary>
    private Exception Fail(Exception exception, CancellationToken cancellationToken)
    {
        Exception result;
        if (exception is OperationCanceledException canceled && cancellationToken.IsCancellationRequested)
        {
            result = canceled.CancellationToken == cancellationToken ? canceled : new OperationCanceledException(canceled.Message, canceled, cancellationToken);
            Complete(ResponseEndKind.Cancelled, null);
        }
        else if (exception is OperationCanceledException && Volatile.Read(ref _idleFired) != 0)
        {
            result = Stalled(exception);
            Complete(ResponseEndKind.Failed, result);
        }
        else if (exception is GroqException)
        {
            result = exception;
            Complete(ResponseEndKind.Failed, result);
        }
        else if (exception is IOException or HttpRequestException or SocketException or OperationCanceledException
            || (exception is ObjectDisposedException && Volatile.Read(ref _disposed) == 0))
        {
            result = Broken(exception);
            Complete(ResponseEndKind.Failed, result);
        }
        else
        {
            result = exception;
            Complete(ResponseEndKind.Failed, result);
        }

        _failure = ExceptionDispatchInfo.Capture(result);
        return result;
    }

    private void Complete(ResponseEndKind kind, Exception? error)
    {
        var outcome = new ResponseOutcome(kind, _tap.Usage, _tap.Model, _tap.FinishReason, _tap.ContentChunks, _firstContentTimestamp, _timeProvider.GetTimestamp(), error)
        {
            RequestId = _tap.RequestId ?? _observation.RequestId,
        };
        if (!_observation.TryComplete(outcome))
        {
            return;
        }

        if (error is not null)
        {
            Log.StreamFailed(_logger, _tap.Model ?? _model, (error as GroqException)?.Kind ?? error.GetType().Name, _tap.ContentChunks, outcome.RequestId);
        }
        else
        {
            Log.StreamEnded(_logger, _tap.Model ?? _model, kind, _tap.ContentChunks, outcome.RequestId);
        }
    }

    private void CancelPendingRead()
    {
        try
        {
            _readCancellation?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently: the read is over anyway.
        }
    }

    private void CheckIdle()
    {
        if (Volatile.Read(ref _disposed) != 0 || _observation.IsCompleted)
        {
            return;
        }

        TimeSpan wait = _idleTimeout;
        if (Volatile.Read(ref _reading) != 0)
        {
            TimeSpan silent = _timeProvider.GetElapsedTime(Volatile.Read(ref _readStarted));
            if (silent >= _idleTimeout)
            {
                Volatile.Write(ref _idleFired, 1);
                CancelPendingRead();
                return;
            }

            wait = _idleTimeout - silent;
        }

        try
        {
            _watchdogTimer?.Change(wait, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently.
        }
    }
}
