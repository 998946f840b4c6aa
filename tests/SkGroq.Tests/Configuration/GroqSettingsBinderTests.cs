using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Tests.TestData;

namespace SkGroq.Tests.Configuration;

public sealed class GroqSettingsBinderTests : IDisposable
{
    private const string Key = "gsk_bindbindbindbindbind1234";
    private readonly string _directory = Directory.CreateTempSubdirectory("skgroq-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EnvExample_CopiedWithOnlyTheKeySet_BindsEveryDefault()
    {
        string example = File.ReadAllText(Repository.File(".env.example"));
        string path = Write(".env", example.Replace("GROQ_API_KEY=\n", $"GROQ_API_KEY={Key}\n", StringComparison.Ordinal));

        GroqOptions options = ConfiguredGroq.Resolve(new ConfigurationBuilder().AddGroqSources(userSecretsAssembly: null, dotEnvPath: path).Build());

        var defaults = new GroqOptions();
        Assert.Equal(Key, options.ApiKey);
        Assert.Equal(defaults.Tier, options.Tier);
        Assert.Equal(defaults.Model, options.Model);
        Assert.Equal(defaults.BaseUrl, options.BaseUrl);
        Assert.Equal(defaults.RequestTimeout, options.RequestTimeout);
        Assert.Equal(defaults.Redis.InstanceCount, options.Redis.InstanceCount);
    }

    [Fact]
    public void EmptyValues_AreNotSet_FromEverySource()
    {
        string json = Write("appsettings.json", """{ "Groq": { "Tier": "", "Model": " ", "Inspection": { "FirstByteTimeout": "" } } }""");
        string env = Write(".env", "GROQ_TIER=\nGroq__RequestTimeout=\nGROQ_MODEL=\n");
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddJsonFile(json)
            .AddGroqSources(userSecretsAssembly: null, dotEnvPath: env)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:ApiKey"] = Key, ["Groq:Cache:TimeToLive"] = "" })
            .Build();

        GroqOptions options = ConfiguredGroq.Resolve(configuration);

        var defaults = new GroqOptions();
        Assert.Equal(defaults.Tier, options.Tier);
        Assert.Equal(defaults.Model, options.Model);
        Assert.Equal(defaults.RequestTimeout, options.RequestTimeout);
        Assert.Equal(defaults.Inspection.FirstByteTimeout, options.Inspection.FirstByteTimeout);
        Assert.Equal(defaults.Cache.TimeToLive, options.Cache.TimeToLive);
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("00:00:30", 30_000)]
    public void Durations_TakeUnitsOrHoursMinutesSeconds(string value, long milliseconds)
    {
        GroqOptions options = ConfiguredGroq.Resolve(Config(("Groq:RequestTimeout", value)));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.RequestTimeout);
    }

    [Fact]
    public void BadValues_AreAllReportedAtOnce_ByTheNameTheUserWrote_WithWhatIsAllowed()
    {
        string json = Write("appsettings.json", """{ "Groq": { "Cache": { "MaxEntries": "many" } } }""");
        string env = Write(".env", "GROQ_TIER=Gold\nGroq__RequestTimeout=banana\nGroq__Inspection__StreamIdleTimeout=30\nGroq__Usage__Enabled=yes please\n");
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddJsonFile(json)
            .AddGroqSources(userSecretsAssembly: null, dotEnvPath: env)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:ApiKey"] = Key, ["Groq:Redis:InstanceCount"] = "0" })
            .Build();

        var ex = Assert.Throws<OptionsValidationException>(() => ConfiguredGroq.Resolve(configuration));

        string[] failures = [.. ex.Failures];
        Assert.Contains(failures, f => f.Contains("GROQ_TIER in .env = 'Gold' is not one of the allowed values. Use Free or Developer", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Groq__RequestTimeout in .env = 'banana' is not a duration. Use 30s, 500ms, 2m", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Groq__Inspection__StreamIdleTimeout in .env = '30' has no unit. Write 30s for seconds", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Groq__Usage__Enabled in .env = 'yes please' is not a yes/no value. Use true or false", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Groq:Cache:MaxEntries in appsettings.json = 'many' is not a whole number", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Groq:Redis:InstanceCount = '0' is out of range. Use a value from 1 to 10000", StringComparison.Ordinal));
        Assert.Equal(6, failures.Length);
        Assert.All(failures, f => Assert.DoesNotContain("System.", f, StringComparison.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain("Exception", f, StringComparison.Ordinal));
    }

    [Fact]
    public void BareNumber_IsNeverReadAsDays()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => ConfiguredGroq.Resolve(Config(("Groq:RequestTimeout", "30"))));
        Assert.Equal("Groq:RequestTimeout = '30' has no unit. Write 30s for seconds or 30ms for milliseconds (or hh:mm:ss such as 00:00:30).", Assert.Single(ex.Failures));
    }

    [Fact]
    public void DurationOutOfRange_NamesTheBoundsInTheSameForm()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => ConfiguredGroq.Resolve(Config(("Groq:RequestTimeout", "2d"))));
        Assert.Equal("Groq:RequestTimeout = '2d' is out of range. Use a value from 1ms to 1d.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void AddGroqAlone_HasTheDefaultFallbackChains()
    {
        GroqOptions options = ConfiguredGroq.Resolve(Config());

        Assert.Equal(["llama-3.1-8b-instant", "openai/gpt-oss-20b"], options.Fallbacks["llama-3.3-70b-versatile"]);
        Assert.Equal(["openai/gpt-oss-20b"], options.Fallbacks["llama-3.1-8b-instant"]);
    }

    [Fact]
    public void ConfiguredChain_ReplacesTheDefault_NoneRemovesIt_CommasList()
    {
        GroqOptions options = ConfiguredGroq.Resolve(Config(
            ("Groq:Fallbacks:llama-3.3-70b-versatile:0", "openai/gpt-oss-120b"),
            ("Groq:Fallbacks:llama-3.1-8b-instant", "none"),
            ("Groq:Fallbacks:qwen/qwen3-32b", "llama-3.1-8b-instant, openai/gpt-oss-20b")));

        Assert.Equal(["openai/gpt-oss-120b"], options.Fallbacks["llama-3.3-70b-versatile"]);
        Assert.Empty(options.Fallbacks["llama-3.1-8b-instant"]);
        Assert.Equal(["llama-3.1-8b-instant", "openai/gpt-oss-20b"], options.Fallbacks["qwen/qwen3-32b"]);
    }

    private static IConfigurationRoot Config(params (string Key, string Value)[] values)
    {
        var data = new Dictionary<string, string?> { ["Groq:ApiKey"] = Key };
        foreach ((string key, string value) in values)
        {
            data[key] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(data).Build();
    }

    [Fact]
    public void TopLevelAppSettings_SetsOnlyWhatDiffersFromTheCodesDefaults()
    {
        IConfigurationRoot file = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var defaults = new GroqOptions();
        List<string> restated = [];
        foreach ((string key, string? value) in file.AsEnumerable().Where(static kv => kv.Value is not null && kv.Key.StartsWith("Groq:", StringComparison.Ordinal)))
        {
            GroqOptions bound = ConfiguredGroq.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:ApiKey"] = Key, [key] = value }).Build());
            if (Equals(Read(bound, key), Read(defaults, key)))
            {
                restated.Add($"{key} = {value}");
            }
        }

        // A value equal to the code's default only hides where the default lives (docs/CONFIGURATION.md lists them).
        Assert.True(restated.Count == 0, "appsettings.json restates the code's defaults; remove: " + string.Join("; ", restated));

        static object? Read(object? options, string key)
        {
            foreach (string part in key.Split(':').Skip(1))
            {
                options = options?.GetType().GetProperty(part)?.GetValue(options);
            }

            return options;
        }
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
