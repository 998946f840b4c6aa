namespace SkGroq.Caching;

/// <summary>Default values of <see cref="ResponseCachingOptions"/>, and the names the cache uses on the wire.</summary>
internal static class ResponseCachingDefaults
{
    /// <summary>The response header that marks an answer served by the cache: <c>hit</c>, or <c>stale</c> in degraded mode.</summary>
    public const string CacheHeader = "x-skgroq-cache";

    /// <summary>The default time an answer is served as fresh: one hour.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(1);

    /// <summary>The default time past its time to live that an answer is kept to stand in when Groq is unavailable: one day.</summary>
    public static readonly TimeSpan StaleWindow = TimeSpan.FromDays(1);

    /// <summary>The default most entries of the memory store.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>The default most bytes the memory store's entries hold together: 64 MiB.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>The default largest answer stored: 1 MiB (a longer answer is passed on and not stored).</summary>
    public const int MaxEntryBytes = 1024 * 1024;

    /// <summary>The default pause between two replayed chunks: none (a cached stream is replayed at once).</summary>
    public static readonly TimeSpan ReplayChunkInterval = TimeSpan.Zero;

    /// <summary>The default longest wait of a request for an identical one already in flight before it asks Groq itself.</summary>
    public static readonly TimeSpan SingleFlightTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The default prefix of the keys in a distributed store.</summary>
    public const string KeyPrefix = "skgroq:cache:";

    /// <summary>The default time a distributed store trusts the cache generation it read (how soon another instance's <c>cache clear</c> is seen).</summary>
    public static readonly TimeSpan GenerationRefresh = TimeSpan.FromSeconds(5);
}
