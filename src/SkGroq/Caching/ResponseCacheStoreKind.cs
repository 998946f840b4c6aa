namespace SkGroq.Caching;

/// <summary>Where the response cache keeps answers.</summary>
public enum ResponseCacheStoreKind
{
    /// <summary>In this process, in a size-limited <c>MemoryCache</c> of its own.</summary>
    Memory = 0,

    /// <summary>In the registered <c>IDistributedCache</c> (e.g. Redis), shared by every instance that uses the same one.</summary>
    Distributed = 1,
}
