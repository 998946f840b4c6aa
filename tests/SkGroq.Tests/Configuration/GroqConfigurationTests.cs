using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Hosting;
using SkGroq.Tests.TestData;

namespace SkGroq.Tests.Configuration;

public sealed class GroqConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skgroq-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void DotEnv_MapsGroqNamesAndDoubleUnderscoreKeys_AndIgnoresComments()
    {
        string path = WriteEnv("""
            # a comment
            GROQ_API_KEY=gsk_fromdotenv0000000000001234
            export GROQ_MODEL="llama-3.3-70b-versatile"
            GROQ_REDIS=localhost:6379
            Groq__Inspection__StreamIdleTimeout=00:00:05
            UNRELATED=ignored
            """);

        IConfigurationRoot configuration = new ConfigurationBuilder().Add(new DotEnvConfigurationSource(path)).Build();

        Assert.Equal("gsk_fromdotenv0000000000001234", configuration["Groq:ApiKey"]);
        Assert.Equal("llama-3.3-70b-versatile", configuration["Groq:Model"]);
        Assert.Equal("localhost:6379", configuration["ConnectionStrings:Redis"]);
        Assert.Equal("00:00:05", configuration["Groq:Inspection:StreamIdleTimeout"]);
        Assert.Null(configuration["UNRELATED"]);
    }

    [Fact]
    public void DotEnv_MissingFile_AddsNothing()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().Add(new DotEnvConfigurationSource(Path.Combine(_directory, "absent.env"))).Build();
        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void Sources_DotEnvOverridesAppSettings_AndLaterSourcesOverrideDotEnv()
    {
        string path = WriteEnv("GROQ_MODEL=from-dotenv\nGROQ_TIER=Developer");
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:Model"] = "from-appsettings", ["Groq:Tier"] = "Free", ["Groq:UserAgent"] = "app/1" })
            .AddGroqSources(userSecretsAssembly: null, dotEnvPath: path)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:Tier"] = "Free" })
            .Build();

        Assert.Equal("from-dotenv", configuration["Groq:Model"]);
        Assert.Equal("Free", configuration["Groq:Tier"]);
        Assert.Equal("app/1", configuration["Groq:UserAgent"]);
    }

    [Fact]
    public void ToConfiguration_TranslatesEveryDocumentedVariable()
    {
        Dictionary<string, string?> data = GroqEnvironmentVariables.ToConfiguration(
            GroqEnvironmentVariables.Keys.Keys.Select(k => KeyValuePair.Create(k, (string?)("v-" + k))));

        foreach ((string variable, string key) in GroqEnvironmentVariables.Keys)
        {
            Assert.Equal("v-" + variable, data[key]);
        }
    }

    [Fact]
    public void EnvExample_ListsEveryGroqVariable()
    {
        string example = File.ReadAllText(Repository.File(".env.example"));
        foreach (string variable in GroqEnvironmentVariables.Keys.Keys)
        {
            Assert.Contains(variable + "=", example, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Bind_FromConfiguration_FillsNestedSectionsAndFallbackChains()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Groq:ApiKey"] = "gsk_bindbindbindbindbind1234",
            ["Groq:Fallbacks:llama-3.3-70b-versatile:0"] = "llama-3.1-8b-instant",
            ["Groq:Fallbacks:llama-3.3-70b-versatile:1"] = "openai/gpt-oss-20b",
            ["Groq:Inspection:FirstByteTimeout"] = "00:00:07",
        }).Build();

        GroqOptions options = ConfiguredGroq.Resolve(configuration);

        Assert.Equal(["llama-3.1-8b-instant", "openai/gpt-oss-20b"], options.Fallbacks["llama-3.3-70b-versatile"]);
        Assert.Equal(TimeSpan.FromSeconds(7), options.Inspection.FirstByteTimeout);
    }

    [Theory]
    [InlineData(null, null, "Groq:ApiKey is not set. Put GROQ_API_KEY=gsk_… in .env or the environment")]
    [InlineData("gsk_with space0000000000001234", null, "contains whitespace")]
    [InlineData("gsk_okokokokokokokokokok1234", "ftp://x", "Groq:BaseUrl (GROQ_BASE_URL) 'ftp://x' is not an absolute http(s) URL")]
    [InlineData("gsk_okokokokokokokokokok1234", "00:00:00", "RequestTimeout")]
    public void Validate_BadSetting_FailsAtStartWithMessageNamingSettingAndFix(string? key, string? baseUrlOrTimeout, string expected)
    {
        var values = new Dictionary<string, string?> { ["Groq:ApiKey"] = key };
        if (baseUrlOrTimeout is { } v && v.StartsWith("00:", StringComparison.Ordinal))
        {
            values["Groq:RequestTimeout"] = v;
        }
        else if (baseUrlOrTimeout is not null)
        {
            values["Groq:BaseUrl"] = baseUrlOrTimeout;
        }

        var ex = Assert.Throws<OptionsValidationException>(() => ConfiguredGroq.Resolve(new ConfigurationBuilder().AddInMemoryCollection(values).Build()));
        Assert.Contains(expected, string.Join("\n", ex.Failures), StringComparison.Ordinal);
        Assert.DoesNotContain("with space", string.Join("\n", ex.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_FallbackChainListingTheModelItself_IsRejected()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => ConfiguredGroq.Resolve(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Groq:ApiKey"] = "gsk_okokokokokokokokokok1234",
            ["Groq:Fallbacks:m1:0"] = "m1",
        }).Build()));
        Assert.Contains("Remove 'm1' from its own fallback chain", string.Join("\n", ex.Failures), StringComparison.Ordinal);
    }

    private string WriteEnv(string content)
    {
        string path = Path.Combine(_directory, ".env");
        File.WriteAllText(path, content);
        return path;
    }
}
