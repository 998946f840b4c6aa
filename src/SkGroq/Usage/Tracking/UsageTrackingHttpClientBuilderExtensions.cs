using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SkGroq.Usage.Tracking;

/// <summary>Registers usage tracking: the ledger, the metrics and the outermost handler of the <c>groq</c> client.</summary>
internal static class UsageTrackingHttpClientBuilderExtensions
{
    /// <summary>Adds <see cref="UsageTrackingHandler"/> to the client's chain — call it before every other handler, so it is the outermost.</summary>
    /// <param name="builder">The <c>groq</c> client's builder.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddGroqUsageTracking(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<UsageMetrics>();
        builder.Services.TryAddSingleton<IUsageLedger, UsageLedger>();
        builder.Services.TryAddTransient<UsageTrackingHandler>();
        return builder.AddHttpMessageHandler<UsageTrackingHandler>();
    }
}
