using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
namespace SkGroq.Caching.Stores;

/// <summary>
/// The response cache's own Redis-backed distributed cache (Microsoft.Extensions.Caching.StackExchangeRedis) on the quota's
/// connection. It is not registered as <c>IDistributedCache</c>: the application's container keeps whatever cache the
/// application chose, and one the application registered is used instead of this one.
/// </summary>
internal sealed class GroqRedisCache : IDisposable
{
    private readonly RedisCache _cache;

    /// <summary>Initializes a new instance of the <see cref="GroqRedisCache"/> class.</summary>
    /// <param name="connection">Hands out the quota's connection, or explains that Redis is not configured.</param>
    public GroqRedisCache(RedisCacheConnection connection)
        => _cache = new RedisCache(Options.Create(new RedisCacheOptions { ConnectionMultiplexerFactory = connection.Factory }));

    /// <summary>Gets the cache.</summary>
    public IDistributedCache Cache => _cache;

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();
}
