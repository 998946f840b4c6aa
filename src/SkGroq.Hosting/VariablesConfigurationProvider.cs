using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

using SkGroq.Configuration;

namespace SkGroq.Hosting;

/// <summary>A provider of variables (<c>GROQ_*</c> and <c>A__B</c> names) that remembers which variable set each key, for messages.</summary>
/// <param name="where">Where the variables come from, e.g. <c>.env</c>; <see langword="null"/> for the process environment.</param>
internal abstract class VariablesConfigurationProvider(string? where) : ConfigurationProvider, IGroqSettingNames
{
    private Dictionary<string, string> _names = new(StringComparer.OrdinalIgnoreCase);

    public bool TryGetName(string key, [NotNullWhen(true)] out string? name)
    {
        if (_names.TryGetValue(key, out string? variable))
        {
            name = where is null ? variable : $"{variable} in {where}";
            return true;
        }

        name = null;
        return false;
    }

    /// <summary>Replaces the provider's data with these variables.</summary>
    protected void Set(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Data = GroqEnvironmentVariables.ToConfiguration(variables, names);
        _names = names;
    }
}
