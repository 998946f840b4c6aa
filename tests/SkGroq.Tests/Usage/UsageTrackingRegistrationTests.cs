using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Inspection;
using SkGroq.Usage;

using SkGroq.Usage.Tracking;

namespace SkGroq.Tests.Usage;

public sealed class UsageTrackingRegistrationTests
{
    [Fact]
    public void AddGroq_RegistersUsageTrackingOutermostAndInspectionInnermost()
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
        HttpClientFactoryOptions options = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(GroqDefaults.HttpClientName);
        var builder = new RecordingBuilder(provider);

        foreach (Action<HttpMessageHandlerBuilder> action in options.HttpMessageHandlerBuilderActions)
        {
            action(builder);
        }

        Assert.IsType<UsageTrackingHandler>(builder.AdditionalHandlers[0]);
        Assert.IsType<ResponseInspectionHandler>(builder.AdditionalHandlers[^1]);
        Assert.Equal(typeof(UsageTrackingHandler), GroqPipeline.HandlerOrder[0]);
        Assert.Equal(typeof(ResponseInspectionHandler), GroqPipeline.HandlerOrder[^1]);
        Assert.IsType<UsageLedger>(provider.GetRequiredService<IUsageLedger>());
    }

    private sealed class RecordingBuilder(IServiceProvider services) : HttpMessageHandlerBuilder
    {
        public override string? Name { get; set; } = GroqDefaults.HttpClientName;

        public override HttpMessageHandler PrimaryHandler { get; set; } = new HttpClientHandler();

        public override IList<DelegatingHandler> AdditionalHandlers { get; } = [];

        public override IServiceProvider Services => services;

        public override HttpMessageHandler Build() => CreateHandlerPipeline(PrimaryHandler, AdditionalHandlers);
    }
}
