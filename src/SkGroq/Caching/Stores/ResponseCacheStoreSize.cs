namespace SkGroq.Caching.Stores;

/// <summary>How much a store holds.</summary>
/// <param name="Entries">The number of entries.</param>
/// <param name="Bytes">Their estimated size in bytes.</param>
internal readonly record struct ResponseCacheStoreSize(long Entries, long Bytes);
