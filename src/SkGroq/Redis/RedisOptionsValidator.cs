using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Http.Caching;
using StackExchange.Redis;

namespace SkGroq.Redis;

/// <summary>
/// Checks the Redis settings beyond their ranges: the key prefix's characters, the connection string's syntax, and that the
/// response cache is not set to the distributed store that SkGroq registered on Redis while Redis is not configured.
/// </summary>
/// <param name="services">Resolves the registered <see cref="IDistributedCache"/> for the last check.</param>
internal sealed class RedisOptionsValidator(IServiceProvider services) : IValidateOptions<GroqOptions>
{
    public ValidateOptionsResult Validate(string? name, GroqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RedisOptions redis = options.Redis;
        List<string>? failures = null;
        if (!string.IsNullOrEmpty(redis.KeyPrefix) && !redis.KeyPrefix.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            (failures ??= []).Add($"Groq:Redis:KeyPrefix '{redis.KeyPrefix}' may hold only letters, digits and - _ . : (braces would break Redis Cluster hash tags). Example: skgroq or myapp:skgroq.");
        }

        if (redis.IsConfigured)
        {
            try
            {
                if (ConfigurationOptions.Parse(redis.ConnectionString!.Trim()).EndPoints.Count == 0)
                {
                    (failures ??= []).Add("The Redis connection string (Groq:Redis:ConnectionString, ConnectionStrings:Redis or GROQ_REDIS) names no server. Example: localhost:6379, or redis.internal:6380,password=…,ssl=true.");
                }
            }
            catch (ArgumentException exception)
            {
                // The message of StackExchange.Redis names the bad option, not its value; the string itself may hold a password.
                (failures ??= []).Add($"The Redis connection string (Groq:Redis:ConnectionString, ConnectionStrings:Redis or GROQ_REDIS) is not valid: {exception.Message} Example: localhost:6379, or redis.internal:6380,password=…,ssl=true.");
            }
        }

        if (options.Cache.Enabled && options.Cache.Store == ResponseCacheStoreKind.Distributed && !redis.IsConfigured && IsOurRedisCache())
        {
            (failures ??= []).Add("Groq:Cache:Store is Distributed, but Redis is not configured. Set ConnectionStrings:Redis (GROQ_REDIS) or Groq:Redis:ConnectionString, register another IDistributedCache before AddGroq, or set Groq:Cache:Store to Memory.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The IDistributedCache in force is the RedisCache AddGroq registered on its own connection (not one the user added).
    private bool IsOurRedisCache()
        => services.GetService<RedisCacheConnection>() is { } ours
            && services.GetService<IDistributedCache>() is RedisCache
            && services.GetService<IOptions<RedisCacheOptions>>()?.Value.ConnectionMultiplexerFactory == ours.Factory;
}
