using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Resilience;

namespace SkGroq.Tests.Resilience;

public sealed class GroqResilienceOptionsTests
{
    [Fact]
    public void Defaults_MatchGroqSdks()
    {
        var options = new GroqResilienceOptions();

        Assert.True(options.Enabled);
        Assert.Equal(2, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(8), options.MaxDelay);
        Assert.True(options.UseJitter);
        Assert.True(options.FlexFallbackToOnDemand);
        Assert.True(options.CircuitBreaker.Enabled);
        Assert.Equal(0.5, options.CircuitBreaker.FailureRatio);
        Assert.Equal(10, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Binding_ReadsEverySetting()
    {
        GroqOptions options = Resolve(new Dictionary<string, string?>
        {
            ["Groq:Resilience:Enabled"] = "false",
            ["Groq:Resilience:MaxRetryAttempts"] = "5",
            ["Groq:Resilience:BaseDelay"] = "00:00:01",
            ["Groq:Resilience:MaxDelay"] = "00:00:20",
            ["Groq:Resilience:UseJitter"] = "false",
            ["Groq:Resilience:FlexFallbackToOnDemand"] = "false",
            ["Groq:Resilience:CircuitBreaker:Enabled"] = "false",
            ["Groq:Resilience:CircuitBreaker:FailureRatio"] = "0.25",
            ["Groq:Resilience:CircuitBreaker:MinimumThroughput"] = "4",
            ["Groq:Resilience:CircuitBreaker:SamplingDuration"] = "00:01:00",
            ["Groq:Resilience:CircuitBreaker:BreakDuration"] = "00:00:05",
            ["Groq:Fallbacks:llama-3.3-70b-versatile:0"] = "llama-3.1-8b-instant",
            ["Groq:Fallbacks:llama-3.3-70b-versatile:1"] = "openai/gpt-oss-20b",
        });

        GroqResilienceOptions r = options.Resilience;
        Assert.False(r.Enabled);
        Assert.Equal(5, r.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), r.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(20), r.MaxDelay);
        Assert.False(r.UseJitter);
        Assert.False(r.FlexFallbackToOnDemand);
        Assert.False(r.CircuitBreaker.Enabled);
        Assert.Equal(0.25, r.CircuitBreaker.FailureRatio);
        Assert.Equal(4, r.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromMinutes(1), r.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), r.CircuitBreaker.BreakDuration);
        Assert.Equal(["llama-3.1-8b-instant", "openai/gpt-oss-20b"], options.Fallbacks["llama-3.3-70b-versatile"]);
    }

    [Theory]
    [InlineData("Groq:Resilience:MaxRetryAttempts", "-1", "MaxRetryAttempts")]
    [InlineData("Groq:Resilience:MaxRetryAttempts", "21", "MaxRetryAttempts")]
    [InlineData("Groq:Resilience:BaseDelay", "-00:00:01", "BaseDelay")]
    [InlineData("Groq:Resilience:MaxDelay", "00:00:00.1", "Groq:Resilience:MaxDelay (00:00:00.1000000) is shorter than Groq:Resilience:BaseDelay (00:00:00.5000000). Raise MaxDelay or lower BaseDelay.")]
    [InlineData("Groq:Resilience:CircuitBreaker:FailureRatio", "0", "FailureRatio")]
    [InlineData("Groq:Resilience:CircuitBreaker:FailureRatio", "1.5", "FailureRatio")]
    [InlineData("Groq:Resilience:CircuitBreaker:MinimumThroughput", "1", "MinimumThroughput")]
    [InlineData("Groq:Resilience:CircuitBreaker:BreakDuration", "00:00:00.1", "BreakDuration")]
    [InlineData("Groq:Resilience:CircuitBreaker:SamplingDuration", "00:00:00.1", "SamplingDuration")]
    public void Validation_RejectsBadSettings_NamingThem(string key, string value, string expected)
    {
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(error.Failures, f => f.Contains(expected, StringComparison.Ordinal));
    }

    private static GroqOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = "gsk_test_0123456789abcdefghijklmnop";
            o.Usage.Persist = false;
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<GroqOptions>>().Value;
    }
}
