using System.Net;
using System.Net.Sockets;
using SkGroq.Configuration;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>A plain client's pooled handler, configured like the <c>groq</c> client's (connection lifetime, decompression, TCP connect with no Nagle), counting its connections.</summary>
internal sealed class PlainConnections
{
    private long _opened;

    /// <summary>Gets the number of connections opened so far.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Creates the handler.</summary>
    /// <returns>A pooled handler whose connections are counted.</returns>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = GroqDefaults.PooledConnectionLifetime,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            Interlocked.Increment(ref _opened);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}
