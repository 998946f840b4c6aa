using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Caching;
using SkGroq.Redis;
using StackExchange.Redis;

namespace SkGroq.Configuration;

/// <summary>
/// Checks the Redis settings beyond their ranges: the key prefix's characters, the connection string's syntax, and that the
/// response cache is not set to the distributed store while neither Redis nor an <see cref="IDistributedCache"/> of the
/// application's is there to hold it.
/// </summary>
/// <param name="services">Resolves the application's <see cref="IDistributedCache"/>, if any, for the last check.</param>
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

        if (options.Cache.Enabled && options.Cache.Store == ResponseCacheStoreKind.Distributed && !redis.IsConfigured && services.GetService<IDistributedCache>() is null)
        {
            (failures ??= []).Add("Groq:Cache:Store is Distributed, but Redis is not configured. Set ConnectionStrings:Redis (GROQ_REDIS) or Groq:Redis:ConnectionString, register an IDistributedCache of your own, or set Groq:Cache:Store to Memory.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
