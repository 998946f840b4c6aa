using System.Collections;
using Microsoft.Extensions.Configuration;

namespace SkGroq.Hosting;

/// <summary>Reads the <c>GROQ_*</c> variables of <see cref="GroqEnvironmentVariables"/> from the process environment.</summary>
public sealed class GroqEnvironmentVariablesConfigurationSource : IConfigurationSource
{
    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider();

    private sealed class Provider() : VariablesConfigurationProvider(where: null)
    {
        public override void Load()
        {
            IDictionary environment = Environment.GetEnvironmentVariables();
            Set(GroqEnvironmentVariables.Keys.Keys
                .Where(environment.Contains)
                .Select(name => KeyValuePair.Create(name, environment[name] as string)));
        }
    }
}
