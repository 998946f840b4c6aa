using System.Text;
using Microsoft.Extensions.Caching.Distributed;
namespace SkGroq.Caching.Stores;

/// <summary>
/// The shared store: entries serialized (<see cref="CachedAnswerSerializer"/>) into any <see cref="IDistributedCache"/> —
/// Redis when several instances share one Groq organization — under <c>{prefix}{generation}:{hash}</c>, with the same keys
/// and expiry as the memory store.
/// </summary>
/// <remarks>
/// <see cref="IDistributedCache"/> cannot enumerate or clear, so clearing starts a new <i>generation</i>: a random token
/// stored under <c>{prefix}generation</c> that is part of every entry key. Old entries become unreachable at once for this
/// instance and within the generation refresh interval for the others, and expire by themselves. The generation is read
/// once per refresh interval, not per request.
/// </remarks>
internal sealed class DistributedResponseCacheStore : IResponseCacheStore
{
    private readonly IDistributedCache _cache;
    private readonly string _prefix;
    private readonly string _generationKey;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _generationRefresh;
    private Generation? _generation;

    /// <summary>Initializes a new instance of the <see cref="DistributedResponseCacheStore"/> class.</summary>
    /// <param name="cache">The distributed cache.</param>
    /// <param name="prefix">The prefix of every key (e.g. <c>skgroq:cache:</c>), so the cache can share a Redis database.</param>
    /// <param name="timeProvider">The clock of the generation refresh.</param>
    /// <param name="generationRefresh">How long a read generation is trusted before it is read again.</param>
    public DistributedResponseCacheStore(IDistributedCache cache, string prefix, TimeProvider timeProvider, TimeSpan generationRefresh)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _cache = cache;
        _prefix = prefix;
        _generationKey = prefix + "generation";
        _timeProvider = timeProvider;
        _generationRefresh = generationRefresh;
    }

    /// <inheritdoc />
    public string Name => "distributed";

    /// <inheritdoc />
    public async ValueTask<CachedAnswer?> GetAsync(string key, CancellationToken cancellationToken)
    {
        string generation = await GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        byte[]? bytes = await _cache.GetAsync(EntryKey(generation, key), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : CachedAnswerSerializer.Deserialize(bytes);
    }

    /// <inheritdoc />
    public async ValueTask SetAsync(string key, CachedAnswer answer, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        string generation = await GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        var options = new DistributedCacheEntryOptions { AbsoluteExpiration = expiresAt };
        await _cache.SetAsync(EntryKey(generation, key), CachedAnswerSerializer.Serialize(answer), options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long?> ClearAsync(CancellationToken cancellationToken)
    {
        string generation = Guid.NewGuid().ToString("N")[..12];
        await _cache.SetAsync(_generationKey, Encoding.UTF8.GetBytes(generation), new DistributedCacheEntryOptions(), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _generation, new Generation(generation, _timeProvider.GetTimestamp()));
        return null;
    }

    /// <inheritdoc />
    public ResponseCacheStoreSize? GetSize() => null;

    private string EntryKey(string generation, string key) => string.Concat(_prefix, generation, ":", key);

    private async ValueTask<string> GetGenerationAsync(CancellationToken cancellationToken)
    {
        Generation? current = Volatile.Read(ref _generation);
        if (current is not null && _timeProvider.GetElapsedTime(current.ReadAt) < _generationRefresh)
        {
            return current.Value;
        }

        long readAt = _timeProvider.GetTimestamp();
        byte[]? bytes = await _cache.GetAsync(_generationKey, cancellationToken).ConfigureAwait(false);
        var read = new Generation(bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes) : "0", readAt);
        Volatile.Write(ref _generation, read);
        return read.Value;
    }

    private sealed record Generation(string Value, long ReadAt);
}
