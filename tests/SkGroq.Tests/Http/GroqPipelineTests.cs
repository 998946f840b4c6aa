using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using SkGroq.Configuration;
using SkGroq.Emulator.Faults;
using SkGroq.Errors;
using SkGroq.Tests.Resilience;

namespace SkGroq.Tests.Http;

/// <summary>The <c>groq</c> client's handler chain is exactly <see cref="GroqPipeline.HandlerOrder"/>, and exactly one layer retries.</summary>
public sealed class GroqPipelineTests
{
    [Fact]
    public void AddGroq_HandlerChain_IsTheDocumentedOrder()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = "gsk_test_0123456789abcdefghijklmnop";
            o.Usage.Persist = false;
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        HttpMessageHandler? handler = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(GroqDefaults.HttpClientName);
        var chain = new List<Type>();
        while (handler is DelegatingHandler delegating)
        {
            chain.Add(delegating.GetType());
            handler = delegating.InnerHandler;
        }

        // The factory wraps every chain in its own lifetime-tracking handler; no other foreign handler (no logging) may be in it.
        Assert.Equal("LifetimeTrackingHttpMessageHandler", chain[0].Name);
        Assert.Equal(GroqPipeline.HandlerOrder, chain.Skip(1));
        Assert.IsType<SocketsHttpHandler>(handler);
    }

    [Fact]
    public void HandlerOrder_NamesEveryPositionOnce()
    {
        Assert.Equal(GroqPipeline.HandlerOrder.Count, GroqPipeline.HandlerOrder.Distinct().Count());
        Assert.Equal(typeof(SkGroq.Usage.Tracking.UsageTrackingHandler), GroqPipeline.HandlerOrder[0]);
        Assert.Equal(typeof(SkGroq.Inspection.ResponseInspectionHandler), GroqPipeline.HandlerOrder[^1]);
        Assert.True(IndexOf<SkGroq.Caching.ResponseCachingHandler>() < IndexOf<SkGroq.Resilience.GroqResilienceHandler>(), "a cache hit is never retried or fallen back");
        Assert.True(IndexOf<SkGroq.Resilience.GroqResilienceHandler>() < IndexOf<SkGroq.RateLimiting.RateLimitingHandler>(), "every retry and every fallback model goes through the queue");
    }

    /// <summary>
    /// The OpenAI SDK's retries are off under ours — a failed request reaches the server exactly 1 + Groq:Resilience:MaxRetryAttempts
    /// times, and the pipeline is entered once (one usage record), so nothing above it sent the request again.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task FailedRequest_IsSentOncePerConfiguredAttempt_NotMore(int retries)
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.Resilience.MaxRetryAttempts = retries);
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), ResilienceHarness.Primary);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        run.Fails<GroqServerException>();
        Assert.Equal(1 + retries, h.Requests(ResilienceHarness.Primary));
        Assert.Equal(1 + retries, h.Emulator.Accounting.RequestsReceived);
        Assert.Equal(1 + retries, (await h.Ledger.NextAsync()).Attempts);
        Assert.Single(h.Ledger.Records);
        Assert.Equal(retries, run.Delays.Count);
    }

    private static int IndexOf<T>() => GroqPipeline.HandlerOrder.ToList().IndexOf(typeof(T));
}
