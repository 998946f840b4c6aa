namespace SkGroq.Caching;

/// <summary>The response cache of the <c>groq</c> pipeline, for people and tools: what it holds, how well it works, and a way to empty it.</summary>
/// <example>
/// <code>
/// IResponseCache cache = services.GetRequiredService&lt;IResponseCache&gt;();
/// ResponseCacheStatistics stats = cache.GetStatistics();
/// Console.WriteLine($"{stats.Entries} entries, hit rate {stats.HitRate:P0}, {stats.TokensSaved} tokens saved");
/// await cache.ClearAsync();
/// </code>
/// </example>
public interface IResponseCache
{
    /// <summary>Gets the cache's size (when the store can count) and this process's counts since start.</summary>
    /// <returns>The statistics.</returns>
    ResponseCacheStatistics GetStatistics();

    /// <summary>Removes every stored answer (for a distributed store: for every instance sharing it).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The number of entries removed, when the store knows it.</returns>
    ValueTask<long?> ClearAsync(CancellationToken cancellationToken = default);
}
