namespace SkGroq.Redis;

/// <summary>What the rate limiter does while Redis, which holds the shared quota, cannot be reached.</summary>
public enum RedisFallbackPolicy
{
    /// <summary>
    /// Each instance keeps limiting on its own with its share of every limit (the limit divided by <see cref="RedisOptions.InstanceCount"/>),
    /// starting from the usage it last read from Redis; when Redis is back the local usage is merged into it and the shared quota resumes.
    /// </summary>
    LocalShare = 0,

    /// <summary>No request is sent while Redis is unreachable: each fails with a <c>GroqConnectionException</c> that names Redis (the resilience layer may retry it).</summary>
    FailClosed = 1,
}
