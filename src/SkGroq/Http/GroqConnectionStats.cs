namespace SkGroq.Http;

/// <summary>Counts the TCP connections the <c>groq</c> client opened and how long each took (DNS + connect; TLS excluded).</summary>
/// <remarks>Pooled connections are reused: after the first request, <see cref="ConnectionsOpened"/> should stay put.</remarks>
public sealed class GroqConnectionStats
{
    private long _opened;
    private long _lastConnectTicks = -1;

    /// <summary>Gets the number of connections opened so far.</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _opened);

    /// <summary>Gets how long the most recent connection took to open; <see langword="null"/> before the first.</summary>
    public TimeSpan? LastConnectTime => Interlocked.Read(ref _lastConnectTicks) is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    internal void OnConnected(TimeSpan elapsed)
    {
        Interlocked.Exchange(ref _lastConnectTicks, elapsed.Ticks);
        Interlocked.Increment(ref _opened);
    }
}
