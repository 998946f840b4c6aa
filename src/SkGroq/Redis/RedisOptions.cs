using System.ComponentModel.DataAnnotations;
namespace SkGroq.Redis;

/// <summary>Settings of the shared quota and response cache on Redis (section <c>Groq:Redis</c>).</summary>
/// <remarks>
/// Redis is used when a connection string is set: <see cref="ConnectionString"/>, else <c>ConnectionStrings:Redis</c>
/// (the <c>GROQ_REDIS</c> variable). Without one, quota and cache stay in the process (the default).
/// With Redis, every instance that uses the same Redis, <see cref="KeyPrefix"/> and organization shares one quota per model.
/// <para>Validated at start-up: a value out of range fails with "The field GroqOptions.Redis.&lt;Name&gt; must be between …".</para>
/// </remarks>
public sealed class RedisOptions
{
    /// <summary>Gets or sets the StackExchange.Redis connection string, e.g. <c>localhost:6379</c> or <c>redis.internal:6380,password=…,ssl=true</c>.</summary>
    /// <value>The default is empty: <c>ConnectionStrings:Redis</c> (<c>GROQ_REDIS</c>) is used, and without it nothing is shared. The string is never logged (it may hold a password).</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the first part of every key and channel of the shared quota (<c>&lt;prefix&gt;:quota:{&lt;organization&gt;:&lt;model&gt;}</c>).</summary>
    /// <value>The default is <c>skgroq</c>. Letters, digits and <c>-_.:</c> only (braces would break the cluster hash tag).</value>
    [Required(AllowEmptyStrings = false)]
    public string KeyPrefix { get; set; } = RedisDefaults.KeyPrefix;

    /// <summary>Gets or sets the number of instances sharing the organization's quota; while Redis is unreachable each instance admits this fraction of every limit.</summary>
    /// <value>The default is 1 (a lone instance keeps the whole limit). Set it to the number of instances that run at once.</value>
    [Range(1, 10_000)]
    public int InstanceCount { get; set; } = RedisDefaults.InstanceCount;

    /// <summary>Gets or sets what happens while Redis is unreachable.</summary>
    /// <value>The default is <see cref="RedisFallbackPolicy.LocalShare"/>.</value>
    public RedisFallbackPolicy FallbackPolicy { get; set; } = RedisDefaults.FallbackPolicy;

    /// <summary>Gets or sets the time to establish the connection to Redis.</summary>
    /// <value>The default is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = RedisDefaults.ConnectTimeout;

    /// <summary>Gets or sets the longest one Redis command may take; a slower answer counts as Redis being unreachable.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan OperationTimeout { get; set; } = RedisDefaults.OperationTimeout;

    /// <summary>Gets or sets the pause between two attempts to reconnect after Redis went away.</summary>
    /// <value>The default is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan ReconnectInterval { get; set; } = RedisDefaults.ReconnectInterval;

    /// <summary>
    /// Gets or sets how long after reconnecting an admission needs both the shared quota and the instance's local share,
    /// so instances that reconnect later (still admitting locally) are not overrun meanwhile.
    /// </summary>
    /// <value>The default is 10 seconds; make it longer than the spread of reconnection times between instances.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RejoinPeriod { get; set; } = RedisDefaults.RejoinPeriod;

    /// <summary>Gets or sets how long a reservation that is never settled (its process died) counts as in flight before it is dropped; its tokens stay counted.</summary>
    /// <value>The default is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:01:00", "2.00:00:00")]
    public TimeSpan ReservationLifetime { get; set; } = RedisDefaults.ReservationLifetime;

    /// <summary>Gets a value indicating whether a connection string is set.</summary>
    internal bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);
}
