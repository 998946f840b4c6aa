using System.Text;
using System.Threading.Channels;

namespace SkGroq.Tests.Inspection;

/// <summary>A network stream the test feeds piece by piece: bytes, a failure, or the end. Reads honour cancellation.</summary>
internal sealed class ScriptedStream : Stream
{
    private readonly Channel<object?> _pieces = Channel.CreateUnbounded<object?>();
    private ReadOnlyMemory<byte> _current;
    private bool _ended;

    public bool Disposed { get; private set; }

    public TaskCompletionSource ReadStarted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public static ScriptedStream Of(params string[] pieces)
    {
        var stream = new ScriptedStream();
        foreach (string piece in pieces)
        {
            stream.Send(piece);
        }

        return stream;
    }

    public ScriptedStream Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    public ScriptedStream Send(byte[] bytes)
    {
        _pieces.Writer.TryWrite(bytes);
        return this;
    }

    public ScriptedStream Fail(Exception exception)
    {
        _pieces.Writer.TryWrite(exception);
        return this;
    }

    public ScriptedStream End()
    {
        _pieces.Writer.TryWrite(null);
        return this;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (_current.IsEmpty && !_ended)
        {
            TaskCompletionSource started = ReadStarted;
            ReadStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
            started.TrySetResult();
            object? piece = await _pieces.Reader.ReadAsync(cancellationToken);
            switch (piece)
            {
                case null:
                    _ended = true;
                    break;
                case Exception exception:
                    throw exception;
                default:
                    _current = (byte[])piece;
                    break;
            }
        }

        int count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
