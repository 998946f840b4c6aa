using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SkGroq.Resilience;

/// <summary>Registers resilience: retries, circuit breakers and model fallback, position 3 of the <c>groq</c> client.</summary>
internal static class GroqResilienceHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds <see cref="GroqResilienceHandler"/> to the client's chain — call it after the
    /// usage tracker and the response cache and before the rate limiter and the inspection handler.
    /// </summary>
    /// <param name="builder">The <c>groq</c> client's builder.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddGroqResilience(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<GroqResiliencePipelines>();
        builder.Services.TryAddTransient<GroqResilienceHandler>();
        return builder.AddHttpMessageHandler<GroqResilienceHandler>();
    }
}
