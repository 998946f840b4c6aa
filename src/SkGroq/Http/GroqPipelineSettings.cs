using System.Collections.Frozen;

namespace SkGroq.Http;

/// <summary>
/// The few settings that belong to the whole pipeline rather than to one handler: the request deadline, the organization
/// label, the cache partition and the fallback chains. Built once from the configuration by the composition root; every
/// handler reads it, none reads the configuration.
/// </summary>
internal sealed class GroqPipelineSettings
{
    /// <summary>Initializes a new instance of the <see cref="GroqPipelineSettings"/> class.</summary>
    /// <param name="requestTimeout">The deadline of one request when the caller sets none.</param>
    /// <param name="organization">The label that partitions quota and usage; <see langword="null"/> when there is neither a label nor a key.</param>
    /// <param name="cachePartition">The label that partitions the response cache; <see langword="null"/> for one shared cache.</param>
    /// <param name="fallbacks">The fallback chain per model.</param>
    public GroqPipelineSettings(TimeSpan requestTimeout, string? organization = null, string? cachePartition = null, IReadOnlyDictionary<string, List<string>>? fallbacks = null)
    {
        RequestTimeout = requestTimeout;
        Organization = organization;
        CachePartition = cachePartition;
        Fallbacks = fallbacks?.ToFrozenDictionary(static p => p.Key, static p => p.Value.ToArray(), StringComparer.Ordinal)
            ?? FrozenDictionary<string, string[]>.Empty;
    }

    /// <summary>Gets the deadline of one request when the caller sets none: queueing, retries and fallback included.</summary>
    public TimeSpan RequestTimeout { get; }

    /// <summary>Gets the label that partitions quota and usage per Groq organization (never the key itself).</summary>
    public string? Organization { get; }

    /// <summary>Gets the label that partitions the response cache: answers do not depend on the key, so only a configured label partitions it.</summary>
    public string? CachePartition { get; }

    /// <summary>Gets the fallback chain per model.</summary>
    public FrozenDictionary<string, string[]> Fallbacks { get; }
}
