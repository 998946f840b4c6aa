using System.Reflection;
using SkGroq.Hosting;

#pragma warning disable IDE0130 // Extension methods live in the namespace of the type they extend, by .NET convention.

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds SkGroq's configuration sources in their documented order.</summary>
public static class GroqConfigurationBuilderExtensions
{
    /// <summary>
    /// Adds, in this order (later wins): user secrets, a <c>.env</c> file, environment variables in the standard
    /// <c>Groq__Key</c> form, and the <c>GROQ_*</c> variables (<c>GROQ_API_KEY</c>, <c>GROQ_BASE_URL</c>, …).
    /// Add <c>appsettings.json</c> before calling this, and command-line arguments after.
    /// </summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="userSecretsAssembly">The assembly whose <c>UserSecretsId</c> names the secrets store; <see langword="null"/> to skip user secrets.</param>
    /// <param name="dotEnvPath">The <c>.env</c> file; <see langword="null"/> to skip. Relative paths are resolved against the working directory.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddGroqSources(this IConfigurationBuilder builder, Assembly? userSecretsAssembly = null, string? dotEnvPath = ".env")
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (userSecretsAssembly is not null)
        {
            builder.AddUserSecrets(userSecretsAssembly, optional: true, reloadOnChange: false);
        }

        if (dotEnvPath is not null)
        {
            builder.Add(new DotEnvConfigurationSource(Path.GetFullPath(dotEnvPath)));
        }

        builder.AddEnvironmentVariables();
        builder.Add(new GroqEnvironmentVariablesConfigurationSource());
        return builder;
    }
}
