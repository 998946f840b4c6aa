using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;

namespace SkGroq.Tests.Configuration;

/// <summary>Binds and validates <see cref="GroqOptions"/> the way an application does: <c>AddGroq()</c> over a configuration.</summary>
internal static class ConfiguredGroq
{
    /// <summary>Resolves the options from a container holding only the configuration and <c>AddGroq()</c>.</summary>
    /// <param name="configuration">The configuration to bind.</param>
    /// <returns>The bound, validated options.</returns>
    public static GroqOptions Resolve(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddGroq();
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GroqOptions>>().Value;
    }
}
