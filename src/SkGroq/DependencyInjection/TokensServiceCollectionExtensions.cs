using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkGroq.Models;
using SkGroq.Tokens;

#pragma warning disable IDE0130 // Registration extensions live in Microsoft.Extensions.DependencyInjection, by .NET convention.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers token counting.</summary>
internal static class TokensServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TokenCounterProvider"/> and the <see cref="IRequestTokenEstimator"/> (<see cref="RequestTokenEstimator"/>) as singletons, unless already registered.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddGroqTokens(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(static sp => new TokenCounterProvider(sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<IOptions<TokenCountingOptions>>().Value));
        services.TryAddSingleton(static sp => new RequestTokenEstimator(
            sp.GetRequiredService<TokenCounterProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<RequestTokenEstimator>()));
        services.TryAddSingleton<IRequestTokenEstimator>(static sp => sp.GetRequiredService<RequestTokenEstimator>());
        return services;
    }
}
