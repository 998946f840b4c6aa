using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace SkGroq.Configuration;

/// <summary>
/// Binds the <c>Groq</c> section onto <see cref="GroqOptions"/> the way people write settings: an empty value means "not set"
/// (the default applies), durations take units (<see cref="DurationSetting"/>), and every value that cannot be used is reported
/// by the name the user wrote (<c>GROQ_TIER</c>, <c>Groq__RequestTimeout</c>, <c>Groq:Tier in appsettings.json</c>) with what is
/// allowed — all of them at once, through <see cref="GroqOptionsValidator"/>, never as a conversion exception.
/// </summary>
internal static class GroqSettingsBinder
{
    private const string FallbacksSection = "Fallbacks";

    /// <summary>Binds <paramref name="configuration"/>'s <c>Groq</c> section onto <paramref name="options"/>.</summary>
    /// <param name="configuration">The application's configuration.</param>
    /// <param name="options">The options to fill.</param>
    /// <returns>One message per value that could not be used (the default stays in force for it).</returns>
    public static List<string> Bind(IConfiguration configuration, GroqOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var usable = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var chains = new Dictionary<string, SortedList<int, string>>(StringComparer.Ordinal);
        string prefix = GroqDefaults.SectionName + ConfigurationPath.KeyDelimiter;

        foreach ((string key, string? value) in configuration.GetSection(GroqDefaults.SectionName).AsEnumerable())
        {
            if (string.IsNullOrWhiteSpace(value) || !key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string[] path = key[prefix.Length..].Split(ConfigurationPath.KeyDelimiter);
            string trimmed = value.Trim();
            if (string.Equals(path[0], FallbacksSection, StringComparison.OrdinalIgnoreCase) && path.Length is 2 or 3)
            {
                ReadChain(configuration, key, path, trimmed, chains, failures);
                continue;
            }

            if (Check(path, trimmed, out string normalized) is { } problem)
            {
                failures.Add($"{NameOf(configuration, key)} = '{trimmed}' {problem}.");
                continue;
            }

            usable[key] = normalized;
        }

        new ConfigurationBuilder().AddInMemoryCollection(usable).Build().GetSection(GroqDefaults.SectionName).Bind(options);
        foreach ((string model, SortedList<int, string> chain) in chains)
        {
            options.Fallbacks[model] = [.. chain.Values];
        }

        return failures;
    }

    /// <summary>Reads a fallback chain given as a list (<c>Fallbacks:model:0</c>, …) or one value: models separated by commas, or <c>none</c>.</summary>
    private static void ReadChain(
        IConfiguration configuration,
        string key,
        string[] path,
        string value,
        Dictionary<string, SortedList<int, string>> chains,
        List<string> failures)
    {
        string model = path[1];
        if (path.Length == 2)
        {
            if (string.Equals(value, "none", StringComparison.OrdinalIgnoreCase))
            {
                // An empty chain replaces the default one: no fallback for this model.
                chains[model] = [];
                return;
            }

            SortedList<int, string> listed = Chain(chains, model);
            foreach (string candidate in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                listed.Add(listed.Count, candidate);
            }

            return;
        }

        if (!int.TryParse(path[2], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            failures.Add($"{NameOf(configuration, key)} is not a position in the fallback chain of {model}. List the models as an array, e.g. \"{model}\": [\"openai/gpt-oss-20b\"].");
            return;
        }

        Chain(chains, model)[index] = value;

        static SortedList<int, string> Chain(Dictionary<string, SortedList<int, string>> chains, string model)
        {
            if (!chains.TryGetValue(model, out SortedList<int, string>? chain))
            {
                chains[model] = chain = [];
            }

            return chain;
        }
    }

    /// <summary>
    /// Says what is wrong with a value for the setting at <paramref name="path"/>, or <see langword="null"/> when it can be used;
    /// <paramref name="normalized"/> is then the value in the form the configuration binder reads (durations as <c>c</c>-format TimeSpans).
    /// </summary>
    private static string? Check(string[] path, string value, out string normalized)
    {
        normalized = value;
        if (Resolve(path) is not (PropertyInfo property, Type type))
        {
            // Not a setting of SkGroq's (another library's key, or a typo the binder ignores): nothing to check.
            return null;
        }

        object? parsed;
        if (type == typeof(TimeSpan))
        {
            if (!DurationSetting.TryParse(value, out TimeSpan duration, out string? problem))
            {
                return problem;
            }

            parsed = duration;
            normalized = duration.ToString("c", CultureInfo.InvariantCulture);
        }
        else if (type.IsEnum)
        {
            string allowed = string.Join(" or ", Enum.GetNames(type));
            if (char.IsAsciiDigit(value[0]) || value[0] == '-' || !Enum.TryParse(type, value, ignoreCase: true, out parsed))
            {
                return $"is not one of the allowed values. Use {allowed} (e.g. {Enum.GetNames(type)[^1]})";
            }
        }
        else if (type == typeof(bool))
        {
            if (!bool.TryParse(value, out bool flag))
            {
                return "is not a yes/no value. Use true or false";
            }

            parsed = flag;
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number)
                || (type == typeof(int) && number is < int.MinValue or > int.MaxValue))
            {
                return "is not a whole number. Use digits only, e.g. 10";
            }

            parsed = type == typeof(int) ? (int)number : number;
        }
        else if (type == typeof(double) || type == typeof(decimal))
        {
            if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number))
            {
                return "is not a number. Use digits with a point for decimals, e.g. 0.5";
            }

            parsed = type == typeof(double) ? (double)number : number;
        }
        else
        {
            return null;
        }

        return property.GetCustomAttribute<RangeAttribute>() is { } range && !range.IsValid(parsed) ? OutOfRange(range, type) : null;
    }

    private static string OutOfRange(RangeAttribute range, Type type)
    {
        string Bound(object bound) => type == typeof(TimeSpan)
            ? DurationSetting.Format(TimeSpan.Parse(Convert.ToString(bound, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture))
            : Convert.ToString(bound, CultureInfo.InvariantCulture)!;

        return $"is out of range. Use a value from {Bound(range.Minimum)} to {Bound(range.Maximum)}";
    }

    /// <summary>Finds the property a key under <c>Groq</c> sets, walking sections, dictionary keys and list positions.</summary>
    private static (PropertyInfo Property, Type Type)? Resolve(string[] path)
    {
        Type type = typeof(GroqOptions);
        PropertyInfo? property = null;
        foreach (string segment in path)
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() is { } definition
                && (definition == typeof(Dictionary<,>) || definition == typeof(List<>)))
            {
                type = type.GetGenericArguments()[^1];
                property = null;
                continue;
            }

            property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return property is null ? null : (property, type);
    }

    /// <summary>Names a key as the user wrote it: the variable in the environment or <c>.env</c>, else the key and its file.</summary>
    private static string NameOf(IConfiguration configuration, string key)
    {
        if (configuration is IConfigurationRoot root)
        {
            foreach (IConfigurationProvider provider in root.Providers.Reverse())
            {
                if (!provider.TryGet(key, out _))
                {
                    continue;
                }

                return provider switch
                {
                    IGroqSettingNames named when named.TryGetName(key, out string? name) => name,
                    EnvironmentVariablesConfigurationProvider => key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal),
                    FileConfigurationProvider file when file.Source.Path is { } path => $"{key} in {path}",
                    _ => key,
                };
            }
        }

        return key;
    }
}
