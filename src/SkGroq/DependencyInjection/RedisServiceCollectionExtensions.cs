using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkGroq.Caching.Stores;
using SkGroq.Configuration;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

#pragma warning disable IDE0130 // Registration extensions live in Microsoft.Extensions.DependencyInjection, by .NET convention.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Redis for the shared quota and the response cache's distributed tier, used when a connection string is configured.</summary>
internal static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers the quota store (<see cref="FallbackQuotaStore"/> over <see cref="RedisQuotaStore"/> when Redis is configured,
    /// else <see cref="InMemoryQuotaStore"/>), the one <see cref="RedisConnection"/>, and <see cref="GroqRedisCache"/>, the
    /// response cache's distributed tier on that connection (not registered as <see cref="IDistributedCache"/>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The services.</returns>
    /// <remarks>
    /// Call before the rate limiter registers its in-memory default. Whether Redis is configured is known only once the options
    /// are read (from <c>Groq:Redis:ConnectionString</c>, else <c>ConnectionStrings:Redis</c> / <c>GROQ_REDIS</c>); start-up
    /// validation refuses <c>Groq:Cache:Store = Distributed</c> without Redis and without an <see cref="IDistributedCache"/> of
    /// the application's, and using the cache without Redis says what to set.
    /// </remarks>
    public static IServiceCollection AddGroqRedis(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GroqOptions>().Configure<IServiceProvider>(static (options, sp) =>
        {
            if (!options.Redis.IsConfigured && sp.GetService<IConfiguration>()?.GetConnectionString(RedisDefaults.ConnectionStringName) is { Length: > 0 } connectionString)
            {
                options.Redis.ConnectionString = connectionString;
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new RedisConnection(
            sp.GetRequiredService<IOptions<RedisOptions>>().Value,
            sp.GetService<ILogger<RedisConnection>>()));
        services.TryAddSingleton(CreateQuotaStore);

        // The response cache's distributed tier on the quota's connection, for when the application registered no
        // IDistributedCache of its own; nothing is registered as IDistributedCache in the application's container.
        services.TryAddSingleton(static sp => new RedisCacheConnection(sp));
        services.TryAddSingleton<GroqRedisCache>();
        return services;
    }

    private static IQuotaStore CreateQuotaStore(IServiceProvider services)
    {
        RedisOptions options = services.GetRequiredService<IOptions<RedisOptions>>().Value;
        TimeProvider timeProvider = services.GetRequiredService<TimeProvider>();
        if (!options.IsConfigured)
        {
            return new InMemoryQuotaStore(timeProvider);
        }

        var shared = new RedisQuotaStore(services.GetRequiredService<RedisConnection>(), options, services.GetService<ILogger<RedisQuotaStore>>());
        ILogger<FallbackQuotaStore>? logger = services.GetService<ILogger<FallbackQuotaStore>>();
        if (logger is not null)
        {
            SkGroq.RateLimiting.Redis.Log.SharedQuota(logger, shared.Description, options.KeyPrefix, options.FallbackPolicy, options.InstanceCount);
        }

        return new FallbackQuotaStore(shared, options, timeProvider, logger);
    }
}
