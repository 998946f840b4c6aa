using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;

namespace SkGroq.Tests.Caching;

/// <summary>An <see cref="IDistributedCache"/> over another that keeps every key and value written, for scanning.</summary>
internal sealed class RecordingDistributedCache(IDistributedCache inner) : IDistributedCache
{
    public ConcurrentDictionary<string, byte[]> Written { get; } = new();

    public byte[]? Get(string key) => inner.Get(key);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => inner.GetAsync(key, token);

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        Written[key] = value;
        inner.Set(key, value, options);
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        Written[key] = value;
        return inner.SetAsync(key, value, options, token);
    }
}
