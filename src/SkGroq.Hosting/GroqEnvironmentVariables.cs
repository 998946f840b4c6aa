using System.Collections.Frozen;
using Microsoft.Extensions.Configuration;

namespace SkGroq.Hosting;

/// <summary>
/// The <c>GROQ_*</c> variable names honoured in the environment and in <c>.env</c>, and the configuration keys they set.
/// Every other setting can be given as <c>Groq__Section__Key</c> (the standard .NET form).
/// </summary>
public static class GroqEnvironmentVariables
{
    /// <summary>The API key, under the official SDKs' name.</summary>
    public const string ApiKey = "GROQ_API_KEY";

    /// <summary>The base URL, under the official SDKs' name.</summary>
    public const string BaseUrl = "GROQ_BASE_URL";

    /// <summary>The default model.</summary>
    public const string Model = "GROQ_MODEL";

    /// <summary>The plan (<c>free</c> or <c>developer</c>).</summary>
    public const string Tier = "GROQ_TIER";

    /// <summary>The organization label that partitions quota and usage.</summary>
    public const string Organization = "GROQ_ORGANIZATION";

    /// <summary>The Redis connection string for shared quota and cache.</summary>
    public const string Redis = "GROQ_REDIS";

    /// <summary>The SQLite file of the usage ledger.</summary>
    public const string UsageDatabase = "GROQ_USAGE_DB";

    /// <summary>The directory of installed vocabularies.</summary>
    public const string VocabularyDirectory = "GROQ_VOCAB_DIR";

    /// <summary>Gets the configuration key set by each variable.</summary>
    public static FrozenDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ApiKey] = "Groq:ApiKey",
        [BaseUrl] = "Groq:BaseUrl",
        [Model] = "Groq:Model",
        [Tier] = "Groq:Tier",
        [Organization] = "Groq:Organization",
        [Redis] = "ConnectionStrings:Redis",
        [UsageDatabase] = "Groq:Usage:DatabasePath",
        [VocabularyDirectory] = "Groq:Tokens:VocabularyDirectory",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Translates variables to configuration keys: <c>GROQ_*</c> names through <see cref="Keys"/>, <c>A__B</c> to <c>A:B</c>.</summary>
    /// <param name="variables">Variable names and values.</param>
    /// <returns>Configuration keys and values.</returns>
    public static Dictionary<string, string?> ToConfiguration(IEnumerable<KeyValuePair<string, string?>> variables)
        => ToConfiguration(variables, names: null);

    /// <summary>Translates variables to configuration keys and records, per key, the variable name that set it.</summary>
    internal static Dictionary<string, string?> ToConfiguration(IEnumerable<KeyValuePair<string, string?>> variables, Dictionary<string, string>? names)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string name, string? value) in variables)
        {
            string? key = Keys.TryGetValue(name, out string? mapped) ? mapped
                : name.Contains("__", StringComparison.Ordinal) ? name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)
                : null;
            if (key is not null)
            {
                data[key] = value;
                names?.TryAdd(key, name);
            }
        }

        return data;
    }
}
