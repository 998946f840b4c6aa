using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using StackExchange.Redis;

namespace SkGroq.Redis;

/// <summary>Checks the Redis settings beyond their ranges: the key prefix's characters and the connection string's syntax.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<GroqOptions>
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

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
