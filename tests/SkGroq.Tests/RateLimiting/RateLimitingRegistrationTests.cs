using System.Net;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.Tokens;

namespace SkGroq.Tests.RateLimiting;

public sealed class RateLimitingRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceCollection Services()
    {
        // AddGroq binds the Groq section of the application's configuration: an empty one here.
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        return services;
    }

    [Fact]
    public async Task AddGroq_GroqClient_LimitsChatCompletionsAndPassesTheRestThrough()
    {
        var stub = new StubHandler();
        ServiceCollection services = Services();
        services.AddSingleton<IRequestTokenEstimator>(new FakeTokenEstimator());
        IGroqBuilder builder = services.AddGroq(o => o.ApiKey = "gsk_test_0123456789abcdef");
        builder.HttpClient.ConfigurePrimaryHttpMessageHandler(() => stub);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);

        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, new Uri("chat/completions", UriKind.Relative))
        {
            Content = new StringContent("{\"model\":\"llama-3.1-8b-instant\",\"messages\":[],\"max_tokens\":10000}", Encoding.UTF8, "application/json"),
        };
        GroqRequestTooLargeException error = await Assert.ThrowsAsync<GroqRequestTooLargeException>(() => client.SendAsync(tooLarge, Ct));
        Assert.True(error.IsLocal);
        Assert.Equal(0, stub.Calls);

        stub.Enqueue(request => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
        using HttpResponseMessage models = await client.GetAsync(new Uri("models", UriKind.Relative), Ct);
        Assert.Equal(1, stub.Calls);
    }

    [Fact]
    public async Task AddGroq_StoreRegisteredBefore_IsKept()
    {
        ServiceCollection services = Services();
        var store = new DelegatingQuotaStore(new InMemoryQuotaStore(TimeProvider.System));
        services.AddSingleton<IQuotaStore>(store);
        services.AddGroq(o => o.ApiKey = "gsk_test_0123456789abcdef");
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<QuotaLimiter>().Store);
    }

    [Theory]
    [InlineData(0, 1_024, "The field GroqOptions.RateLimiting.MaxQueueLength must be between 1 and 1000000")]
    [InlineData(10, -1, "The field GroqOptions.RateLimiting.DefaultMaxTokensReservation must be between 0 and 10000000")]
    public async Task AddGroq_InvalidRateLimitingOptions_FailWithAMessageNamingTheSetting(int maxQueueLength, int defaultMaxTokens, string expected)
    {
        ServiceCollection services = Services();
        services.AddGroq(o =>
        {
            o.ApiKey = "gsk_test_0123456789abcdef";
            o.RateLimiting.MaxQueueLength = maxQueueLength;
            o.RateLimiting.DefaultMaxTokensReservation = defaultMaxTokens;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GroqOptions>>().Value);

        Assert.True(error.Failures.Any(f => f.Contains(expected, StringComparison.Ordinal)), string.Join(Environment.NewLine, error.Failures));
    }

    [Fact]
    public void Validator_NonPositiveModelLimit_FailsNamingTheSettingAndTheFix()
    {
        var options = new GroqOptions();
        options.Models["llama-3.1-8b-instant"] = new ModelOverride { TokensPerMinute = 0, RequestsPerDay = -5 };

        ValidateOptionsResult result = new RateLimitingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Groq:Models:llama-3.1-8b-instant:TokensPerMinute is 0; limits must be positive. Remove the setting", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Groq:Models:llama-3.1-8b-instant:RequestsPerDay is -5", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_DailyTokensBelowPerMinute_Fails()
    {
        var options = new GroqOptions();
        options.Models["m"] = new ModelOverride { TokensPerMinute = 6_000, TokensPerDay = 5_000 };

        ValidateOptionsResult result = new RateLimitingOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.Contains("Groq:Models:m:TokensPerDay (5000) is below TokensPerMinute (6000)", StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_PositiveLimits_Pass()
    {
        var options = new GroqOptions();
        options.Models["m"] = new ModelOverride { RequestsPerMinute = 30, TokensPerMinute = 6_000, TokensPerDay = 500_000 };

        Assert.True(new RateLimitingOptionsValidator().Validate(null, options).Succeeded);
    }
}
