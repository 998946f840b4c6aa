using System.Net.Sockets;

namespace SkGroq.Console.Bench;

/// <summary>Counts the connections a plain <see cref="SocketsHttpHandler"/> opens, connecting exactly as the <c>groq</c> client does (TCP, no Nagle).</summary>
internal sealed class ConnectionCounter
{
    private long _opened;

    /// <summary>Gets the number of connections opened so far.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Creates a pooled handler whose connections are counted.</summary>
    /// <returns>The handler.</returns>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
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

        Interlocked.Increment(ref _opened);
        return new NetworkStream(socket, ownsSocket: true);
    }
}
