using StackExchange.Redis;

namespace SkGroq.RateLimiting.Redis;

/// <content>Waking other instances' queues: a pub/sub notification per key whose quota was given back.</content>
internal sealed partial class RedisQuotaStore
{
    private readonly Lock _callbacksGate = new();
    private Action<QuotaKey>[] _callbacks = [];
    private Task? _subscription;

    /// <summary>Gets the subscription to notifications, for tests: completes once it is made (or deferred until Redis is reachable).</summary>
    internal Task Subscription => Volatile.Read(ref _subscription) ?? Task.CompletedTask;

    /// <inheritdoc />
    /// <remarks>
    /// The first registration subscribes to <c>&lt;prefix&gt;:quota:freed</c>. StackExchange.Redis keeps the subscription across
    /// reconnections (and makes it once Redis is reachable when it is not yet). Notifications this process published are ignored:
    /// its own limiter already woke its queue.
    /// </remarks>
    public IDisposable RegisterFreedCallback(Action<QuotaKey> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_callbacksGate)
        {
            _callbacks = [.. _callbacks, callback];
            _subscription ??= SubscribeAsync();
        }

        return new Registration(this, callback);
    }

    private async Task SubscribeAsync()
    {
        try
        {
            IConnectionMultiplexer multiplexer = await _connection.GetAsync().ConfigureAwait(false);
            await multiplexer.GetSubscriber().SubscribeAsync(_channel, OnFreed).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            // Registered with the multiplexer before it failed: subscribed again when Redis is back. Until then, queues wake by their timers.
            Log.SubscribeDeferred(_logger, Description, exception.Message);
        }
    }

    private void OnFreed(RedisChannel channel, RedisValue message)
    {
        string? text = message;
        int space = text is null ? -1 : text.IndexOf(' ', StringComparison.Ordinal);
        if (text is null || space <= 0 || text.AsSpan(0, space).SequenceEqual(_instance)
            || !_keysByName.TryGetValue(text[(space + 1)..], out RedisQuotaKey? names))
        {
            // Ours, malformed, or a key this process never used (so nothing of it waits here).
            return;
        }

        foreach (Action<QuotaKey> callback in Volatile.Read(ref _callbacks))
        {
            callback(names.Key);
        }
    }

    private void Unregister(Action<QuotaKey> callback)
    {
        lock (_callbacksGate)
        {
            _callbacks = [.. _callbacks.Where(c => c != callback)];
        }
    }

    private sealed class Registration(RedisQuotaStore store, Action<QuotaKey> callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                store.Unregister(callback);
            }
        }
    }
}
