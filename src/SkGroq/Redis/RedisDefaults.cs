namespace SkGroq.Redis;

/// <summary>Default values of <see cref="RedisOptions"/>.</summary>
internal static class RedisDefaults
{
    /// <summary>The name of the connection string (<c>ConnectionStrings:Redis</c>, set by <c>GROQ_REDIS</c>).</summary>
    public const string ConnectionStringName = "Redis";

    /// <summary>The first part of every Redis key and channel SkGroq's quota uses.</summary>
    public const string KeyPrefix = "skgroq";

    /// <summary>The number of instances that share one organization's quota, used only while Redis is unreachable.</summary>
    public const int InstanceCount = 1;

    /// <summary>The policy while Redis is unreachable.</summary>
    public const RedisFallbackPolicy FallbackPolicy = RedisFallbackPolicy.LocalShare;

    /// <summary>The time to establish the connection to Redis.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The longest one Redis command may take before Redis counts as unreachable.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The pause between two attempts to reconnect to Redis.</summary>
    public static readonly TimeSpan ReconnectInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long after reconnecting an admission still needs the instance's local share as well as the shared quota.</summary>
    public static readonly TimeSpan RejoinPeriod = TimeSpan.FromSeconds(10);

    /// <summary>How long a reservation that is never settled (its process died) counts as in flight.</summary>
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromHours(1);
}
