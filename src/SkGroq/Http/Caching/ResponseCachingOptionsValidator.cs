using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;

namespace SkGroq.Http.Caching;

/// <summary>Checks the cache settings that depend on each other, on other sections, or on the registered services.</summary>
/// <param name="services">Tells whether an <see cref="IDistributedCache"/> is registered.</param>
internal sealed class ResponseCachingOptionsValidator(IServiceProviderIsService services) : IValidateOptions<GroqOptions>
{
    public ValidateOptionsResult Validate(string? name, GroqOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ResponseCachingOptions cache = options.Cache;
        if (!cache.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        List<string>? failures = null;
        if (cache.MaxEntryBytes > cache.MaxBytes)
        {
            (failures ??= []).Add($"Groq:Cache:MaxEntryBytes ({cache.MaxEntryBytes}) is larger than Groq:Cache:MaxBytes ({cache.MaxBytes}), so no answer that size could be kept. Lower MaxEntryBytes or raise MaxBytes.");
        }

        if (cache.ReplayChunkInterval >= options.Inspection.StreamIdleTimeout)
        {
            (failures ??= []).Add($"Groq:Cache:ReplayChunkInterval ({cache.ReplayChunkInterval}) is not shorter than Groq:Inspection:StreamIdleTimeout ({options.Inspection.StreamIdleTimeout}), so a replayed stream would be cut as stalled. Lower ReplayChunkInterval (zero replays at once).");
        }

        if (cache.Store == ResponseCacheStoreKind.Distributed && !services.IsService(typeof(IDistributedCache)))
        {
            (failures ??= []).Add("Groq:Cache:Store is Distributed, but no IDistributedCache is registered. Register one (e.g. services.AddStackExchangeRedisCache(…) with ConnectionStrings:Redis) or set Groq:Cache:Store to Memory.");
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
