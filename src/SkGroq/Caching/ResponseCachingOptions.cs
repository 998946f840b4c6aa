using System.ComponentModel.DataAnnotations;

namespace SkGroq.Caching;

/// <summary>Settings of the response cache (section <c>Groq:Cache</c>).</summary>
/// <remarks>
/// Which requests are cached is decided per request: deterministic ones (<c>temperature</c> 0) by default, others when the
/// ambient <c>GroqRequestContext</c> opts in (<c>Cache = GroqCacheMode.Enabled</c>); <c>Disabled</c> opts out and
/// <c>Refresh</c> asks Groq again and replaces the stored answer. Only complete answers that finished with <c>stop</c> or
/// <c>length</c> are stored.
/// <para>Validated at start-up: a value out of range fails with "The field GroqOptions.Cache.&lt;Name&gt; must be between …".</para>
/// </remarks>
public sealed class ResponseCachingOptions
{
    /// <summary>Gets or sets a value indicating whether answers to repeated deterministic requests are served from the cache.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how long a stored answer is served as fresh.</summary>
    /// <value>The default is one hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = ResponseCachingDefaults.TimeToLive;

    /// <summary>
    /// Gets or sets how long past its time to live an answer is kept to stand in when Groq cannot answer (degraded mode:
    /// server errors, over capacity, rate limits, every fallback model failed). Such an answer is marked stale.
    /// </summary>
    /// <value>The default is one day. Zero turns degraded mode off.</value>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan StaleWindow { get; set; } = ResponseCachingDefaults.StaleWindow;

    /// <summary>Gets or sets the most entries the memory store holds; the least recently used are dropped first.</summary>
    /// <value>The default is 10,000.</value>
    [Range(1, 100_000_000)]
    public int MaxEntries { get; set; } = ResponseCachingDefaults.MaxEntries;

    /// <summary>Gets or sets the most bytes the memory store's entries hold together.</summary>
    /// <value>The default is 64 MiB.</value>
    [Range(typeof(long), "1024", "1099511627776")]
    public long MaxBytes { get; set; } = ResponseCachingDefaults.MaxBytes;

    /// <summary>Gets or sets the largest answer (body, or a stream's payloads) that is stored; a larger one is passed on untouched.</summary>
    /// <value>The default is 1 MiB.</value>
    [Range(256, 1_073_741_824)]
    public int MaxEntryBytes { get; set; } = ResponseCachingDefaults.MaxEntryBytes;

    /// <summary>Gets or sets the pause between two chunks when a cached answer is replayed as a stream.</summary>
    /// <value>The default is zero: the chunks are replayed at once (each still its own SSE frame).</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReplayChunkInterval { get; set; } = ResponseCachingDefaults.ReplayChunkInterval;

    /// <summary>
    /// Gets or sets the longest a request waits for an identical request already in flight (single-flight) before it asks
    /// Groq itself; also bounded by the request's own deadline.
    /// </summary>
    /// <value>The default is 60 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan SingleFlightTimeout { get; set; } = ResponseCachingDefaults.SingleFlightTimeout;

    /// <summary>Gets or sets where answers are kept.</summary>
    /// <value>
    /// The default is <see cref="ResponseCacheStoreKind.Memory"/>. <see cref="ResponseCacheStoreKind.Distributed"/> needs an
    /// <c>IDistributedCache</c> registration (e.g. <c>AddStackExchangeRedisCache</c>).
    /// </value>
    public ResponseCacheStoreKind Store { get; set; } = ResponseCacheStoreKind.Memory;

    /// <summary>Gets or sets the prefix of the keys in a distributed store, so the cache can share a Redis database.</summary>
    /// <value>The default is <c>skgroq:cache:</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string KeyPrefix { get; set; } = ResponseCachingDefaults.KeyPrefix;

    /// <summary>Gets or sets how long a distributed store trusts the cache generation it read: how soon another instance's clear takes effect here.</summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan GenerationRefresh { get; set; } = ResponseCachingDefaults.GenerationRefresh;
}
