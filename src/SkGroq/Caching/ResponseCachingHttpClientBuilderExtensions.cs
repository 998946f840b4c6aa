using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SkGroq.Caching.Stores;

namespace SkGroq.Caching;

/// <summary>Registers the response cache: the store, the cache behind <see cref="IResponseCache"/>, the metrics and <see cref="ResponseCachingHandler"/>.</summary>
internal static class ResponseCachingHttpClientBuilderExtensions
{
    /// <summary>Adds <see cref="ResponseCachingHandler"/> to the client's chain — call it right after usage tracking (position 2).</summary>
    /// <param name="http">The <c>groq</c> client's builder.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// The store follows <c>Groq:Cache:Store</c>: the in-process <see cref="MemoryResponseCacheStore"/> by default, or a
    /// <see cref="DistributedResponseCacheStore"/> over the application's <see cref="IDistributedCache"/> when it registered one,
    /// else over Redis on the quota's connection (<see cref="GroqRedisCache"/>).
    /// An <see cref="IResponseCacheStore"/> registered earlier wins.
    /// </remarks>
    public static IHttpClientBuilder AddGroqResponseCaching(this IHttpClientBuilder http)
    {
        ArgumentNullException.ThrowIfNull(http);
        IServiceCollection services = http.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CreateStore);
        services.TryAddSingleton(static sp => new ResponseCacheMetrics(sp.GetRequiredService<IResponseCacheStore>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<ResponseCache>();
        services.TryAddSingleton<IResponseCache>(static sp => sp.GetRequiredService<ResponseCache>());
        services.TryAddTransient<ResponseCachingHandler>();
        return http.AddHttpMessageHandler<ResponseCachingHandler>();
    }

    private static IResponseCacheStore CreateStore(IServiceProvider services)
    {
        ResponseCachingOptions options = services.GetRequiredService<IOptions<ResponseCachingOptions>>().Value;
        TimeProvider timeProvider = services.GetRequiredService<TimeProvider>();
        return options.Store == ResponseCacheStoreKind.Distributed
            ? new DistributedResponseCacheStore(services.GetService<IDistributedCache>() ?? services.GetRequiredService<GroqRedisCache>().Cache, options.KeyPrefix, timeProvider, options.GenerationRefresh)
            : new MemoryResponseCacheStore(options.MaxBytes, options.MaxEntries, timeProvider);
    }
}
