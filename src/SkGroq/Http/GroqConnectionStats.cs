using System.Net.Sockets;

namespace SkGroq.Http;

/// <summary>Counts the TCP connections the <c>groq</c> client opened and how long each took (DNS + connect; TLS excluded).</summary>
/// <remarks>Pooled connections are reused: after the first request, <see cref="ConnectionsOpened"/> should stay put.</remarks>
public sealed class GroqConnectionStats
{
    private readonly TimeProvider _timeProvider;
    private long _opened;
    private long _lastConnectTicks = -1;

    /// <summary>Initializes a new instance of the <see cref="GroqConnectionStats"/> class that times connects with the system clock.</summary>
    public GroqConnectionStats()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GroqConnectionStats"/> class.</summary>
    /// <param name="timeProvider">Times each connect.</param>
    public GroqConnectionStats(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <summary>Gets the number of connections opened so far.</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _opened);

    /// <summary>Gets how long the most recent connection took to open; <see langword="null"/> before the first.</summary>
    public TimeSpan? LastConnectTime => Interlocked.Read(ref _lastConnectTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>
    /// Opens a TCP connection to the request's endpoint with Nagle's algorithm off, timed and counted: the
    /// <see cref="SocketsHttpHandler.ConnectCallback"/> of the <c>groq</c> client (and of any plain client compared with it).
    /// </summary>
    /// <param name="context">The endpoint to connect to.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connection's stream.</returns>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        long start = _timeProvider.GetTimestamp();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Exchange(ref _lastConnectTicks, _timeProvider.GetElapsedTime(start).Ticks);
        Interlocked.Increment(ref _opened);
        return new NetworkStream(socket, ownsSocket: true);
    }
}
