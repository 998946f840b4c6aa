using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using SkGroq.Usage.Tracking;

namespace SkGroq.RateLimiting;

/// <summary>Registers the rate limiter in the <c>groq</c> pipeline.</summary>
internal static class RateLimitingHttpClientBuilderExtensions
{
    /// <summary>Adds the quota store (in-memory unless one is registered), the queue, the metrics and <see cref="RateLimitingHandler"/>.</summary>
    /// <param name="http">The builder of the <c>groq</c> HttpClient.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Needs an <see cref="Tokens.IRequestTokenEstimator"/> registration (the token counter's).</remarks>
    public static IHttpClientBuilder AddGroqRateLimiting(this IHttpClientBuilder http)
    {
        ArgumentNullException.ThrowIfNull(http);
        IServiceCollection services = http.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IQuotaStore>(static sp => new InMemoryQuotaStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new QuotaLimiter(
            sp.GetRequiredService<IQuotaStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value.MaxQueueLength));
        services.TryAddSingleton(static sp => new RateLimitingMetrics(sp.GetRequiredService<QuotaLimiter>(), sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(static sp =>
        {
            RateLimitingOptions options = sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
            return new CompletionReservation(options.DefaultMaxTokensReservation, options.LearnMaxTokensReservation);
        });
        services.TryAddSingleton(static sp => new TenantBudget(
            sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value.TenantDailyTokenBudget,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddTransient<RateLimitingHandler>();
        return http.AddHttpMessageHandler<RateLimitingHandler>();
    }
}
