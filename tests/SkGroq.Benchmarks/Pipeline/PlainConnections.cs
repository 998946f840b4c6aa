using SkGroq.Configuration;
using SkGroq.Http;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>A plain client's pooled handler, configured like the <c>groq</c> client's (connection lifetime, no decompression, the same timed TCP connect with no Nagle), counting its connections.</summary>
internal sealed class PlainConnections
{
    private readonly GroqConnectionStats _stats = new();

    /// <summary>Gets the number of connections opened so far.</summary>
    public long Opened => _stats.ConnectionsOpened;

    /// <summary>Creates the handler.</summary>
    /// <returns>A pooled handler whose connections are counted.</returns>
    public SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = GroqDefaults.PooledConnectionLifetime,
        ConnectCallback = _stats.ConnectAsync,
    };
}
