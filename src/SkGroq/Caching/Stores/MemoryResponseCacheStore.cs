using Microsoft.Extensions.Caching.Memory;
namespace SkGroq.Caching.Stores;

/// <summary>
/// The in-process store: a <see cref="MemoryCache"/> of its own (not the application's shared <c>IMemoryCache</c>, whose
/// entries would have to carry sizes) limited in bytes and in entries, expiring by the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Entries are held as objects, not serialized: a hit costs a dictionary lookup. When the byte limit would be passed,
/// <see cref="MemoryCache"/> drops the new entry and compacts in the background; when the entry limit is reached, the
/// least recently used 10% are removed first.
/// </remarks>
internal sealed class MemoryResponseCacheStore : IResponseCacheStore, IDisposable
{
    private const double CompactionFraction = 0.1;
    private readonly MemoryCache _cache;
    private readonly int _maxEntries;

    /// <summary>Initializes a new instance of the <see cref="MemoryResponseCacheStore"/> class.</summary>
    /// <param name="maxBytes">The most bytes the entries may hold together.</param>
    /// <param name="maxEntries">The most entries.</param>
    /// <param name="timeProvider">The clock of expiry.</param>
    public MemoryResponseCacheStore(long maxBytes, int maxEntries, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _maxEntries = maxEntries;
        _cache = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = maxBytes,
            Clock = new TimeProviderClock(timeProvider),
            CompactionPercentage = CompactionFraction,
            TrackStatistics = true,
        });
    }

    /// <inheritdoc />
    public string Name => "memory";

    /// <inheritdoc />
    public ValueTask<CachedAnswer?> GetAsync(string key, CancellationToken cancellationToken)
        => ValueTask.FromResult(_cache.TryGetValue(key, out CachedAnswer? answer) ? answer : null);

    /// <inheritdoc />
    public ValueTask SetAsync(string key, CachedAnswer answer, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(answer);
        if (_cache.Count >= _maxEntries)
        {
            _cache.Compact(CompactionFraction);
        }

        _cache.Set(key, answer, new MemoryCacheEntryOptions { AbsoluteExpiration = expiresAt, Size = answer.Size });
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long?> ClearAsync(CancellationToken cancellationToken)
    {
        long count = _cache.Count;
        _cache.Clear();
        return ValueTask.FromResult<long?>(count);
    }

    /// <inheritdoc />
    public ResponseCacheStoreSize? GetSize()
        => _cache.GetCurrentStatistics() is { } statistics ? new ResponseCacheStoreSize(statistics.CurrentEntryCount, statistics.CurrentEstimatedSize ?? 0) : null;

    /// <summary>Drops every entry.</summary>
    public void Dispose() => _cache.Dispose();
}
