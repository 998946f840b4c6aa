using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Redis;
using StackExchange.Redis;
namespace SkGroq.Caching.Stores;

/// <summary>Hands the response cache's <c>RedisCache</c> the quota's connection, or explains that Redis is not configured.</summary>
internal sealed class RedisCacheConnection
{
    private readonly IServiceProvider _services;

    /// <summary>Initializes a new instance of the <see cref="RedisCacheConnection"/> class.</summary>
    /// <param name="services">The services (the connection is resolved only when the cache first connects).</param>
    public RedisCacheConnection(IServiceProvider services)
    {
        _services = services;
        Factory = ConnectAsync;
    }

    /// <summary>Gets the factory set as <c>RedisCacheOptions.ConnectionMultiplexerFactory</c> (also how the validator recognizes SkGroq's registration).</summary>
    public Func<Task<IConnectionMultiplexer>> Factory { get; }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        if (!_services.GetRequiredService<IOptions<RedisOptions>>().Value.IsConfigured)
        {
            throw new InvalidOperationException(
                "The distributed response cache (IDistributedCache) was used, but Redis is not configured. Set ConnectionStrings:Redis (GROQ_REDIS) or Groq:Redis:ConnectionString, register another IDistributedCache before AddGroq, or keep the cache in memory (Groq:Cache:Store = Memory).");
        }

        return await _services.GetRequiredService<RedisConnection>().GetAsync().ConfigureAwait(false);
    }
}
