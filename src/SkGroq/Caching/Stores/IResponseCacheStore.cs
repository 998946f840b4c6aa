namespace SkGroq.Caching.Stores;

/// <summary>
/// Where the response cache keeps answers: in process (<see cref="MemoryResponseCacheStore"/>) or shared between instances
/// (<see cref="DistributedResponseCacheStore"/> over any <c>IDistributedCache</c>, e.g. Redis). Keys are the hex hashes of
/// <see cref="ResponseCacheKey"/>; every store uses the same keys and the same expiry.
/// </summary>
/// <remarks>
/// A store keeps an entry until <c>expiresAt</c> (the end of the stale window); freshness is decided by the cache from
/// <see cref="CachedAnswer.StoredAt"/>, not by the store. Failures of a remote store surface as exceptions; the cache logs
/// them and carries on as if the entry were absent.
/// </remarks>
internal interface IResponseCacheStore
{
    /// <summary>Gets the store's name for statistics and logs (<c>memory</c>, <c>distributed</c>).</summary>
    string Name { get; }

    /// <summary>Gets an entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none (or it expired).</returns>
    ValueTask<CachedAnswer?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores an entry, replacing any with the same key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="answer">The entry.</param>
    /// <param name="expiresAt">When the store may drop it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    ValueTask SetAsync(string key, CachedAnswer answer, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Removes every entry.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of entries removed, when the store knows it.</returns>
    ValueTask<long?> ClearAsync(CancellationToken cancellationToken);

    /// <summary>Gets the number of entries and their estimated size, when the store knows them.</summary>
    /// <returns>The size, or <see langword="null"/> for a store that cannot count (a shared one).</returns>
    ResponseCacheStoreSize? GetSize();
}
