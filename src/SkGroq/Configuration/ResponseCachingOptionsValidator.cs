using Microsoft.Extensions.Options;
using SkGroq.Caching;

namespace SkGroq.Configuration;

/// <summary>Checks the cache settings that depend on each other or on other sections (the distributed store's needs: <c>RedisOptionsValidator</c>).</summary>
internal sealed class ResponseCachingOptionsValidator : IValidateOptions<GroqOptions>
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

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
