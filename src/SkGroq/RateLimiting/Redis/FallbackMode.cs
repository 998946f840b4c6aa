namespace SkGroq.RateLimiting.Redis;

/// <summary>Where <see cref="FallbackQuotaStore"/> admits requests now.</summary>
internal enum FallbackMode
{
    /// <summary>In the shared store.</summary>
    Shared,

    /// <summary>In the instance's local share (or nowhere, failing closed): the shared store is unreachable.</summary>
    Local,

    /// <summary>Back in the shared store, still bounded by the local share for the rejoin period.</summary>
    Rejoining,
}
