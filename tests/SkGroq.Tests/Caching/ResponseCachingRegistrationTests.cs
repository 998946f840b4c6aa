using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using SkGroq.Caching;
using SkGroq.Caching.Stores;
using SkGroq.Configuration;

using SkGroq.Usage.Tracking;

namespace SkGroq.Tests.Caching;

public sealed class ResponseCachingRegistrationTests
{
    [Fact]
    public void AddGroq_ResponseCacheIsTheSecondHandler()
    {
        using ServiceProvider provider = Build();
        HttpClientFactoryOptions options = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(GroqDefaults.HttpClientName);
        var builder = new RecordingBuilder(provider);

        foreach (Action<HttpMessageHandlerBuilder> action in options.HttpMessageHandlerBuilderActions)
        {
            action(builder);
        }

        Assert.IsType<UsageTrackingHandler>(builder.AdditionalHandlers[0]);
        Assert.IsType<ResponseCachingHandler>(builder.AdditionalHandlers[1]);
        Assert.Equal(typeof(ResponseCachingHandler), GroqPipeline.HandlerOrder[1]);
    }

    [Fact]
    public void AddGroq_ResponseCache_OneInstanceOverTheMemoryStoreByDefault()
    {
        using ServiceProvider provider = Build();

        IResponseCache cache = provider.GetRequiredService<IResponseCache>();

        Assert.Same(provider.GetRequiredService<ResponseCache>(), cache);
        Assert.IsType<MemoryResponseCacheStore>(provider.GetRequiredService<IResponseCacheStore>());
        Assert.Equal("memory", cache.GetStatistics().Store);
    }

    [Fact]
    public void AddGroq_DistributedStoreWithAnIDistributedCache_UsesIt()
    {
        using ServiceProvider provider = Build(o => o.Cache.Store = ResponseCacheStoreKind.Distributed, services => services.AddDistributedMemoryCache());

        Assert.IsType<DistributedResponseCacheStore>(provider.GetRequiredService<IResponseCacheStore>());
        Assert.Equal("distributed", provider.GetRequiredService<IResponseCache>().GetStatistics().Store);
    }

    public static TheoryData<string, Action<GroqOptions>, string> Invalid => new()
    {
        // Without an IDistributedCache of the application's the distributed store is Redis, so what is missing is Redis's connection string, and the message says where to set it.
        { "distributed without a cache", o => o.Cache.Store = ResponseCacheStoreKind.Distributed, "Groq:Cache:Store is Distributed, but Redis is not configured. Set ConnectionStrings:Redis (GROQ_REDIS) or Groq:Redis:ConnectionString" },
        { "entry larger than the cache", o => { o.Cache.MaxBytes = 4096; o.Cache.MaxEntryBytes = 8192; }, "Groq:Cache:MaxEntryBytes (8192) is larger than Groq:Cache:MaxBytes (4096)" },
        { "replay slower than the watchdog", o => o.Cache.ReplayChunkInterval = TimeSpan.FromSeconds(30), "Groq:Cache:ReplayChunkInterval" },
        { "no time to live", o => o.Cache.TimeToLive = TimeSpan.Zero, "TimeToLive" },
        { "negative stale window", o => o.Cache.StaleWindow = TimeSpan.FromSeconds(-1), "StaleWindow" },
        { "no entries", o => o.Cache.MaxEntries = 0, "MaxEntries" },
        { "empty prefix", o => o.Cache.KeyPrefix = string.Empty, "KeyPrefix" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void AddGroq_InvalidCacheSettings_FailWithTheSettingAndTheFix(string name, Action<GroqOptions> configure, string expected)
    {
        using ServiceProvider provider = Build(configure);

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GroqOptions>>().Value);

        Assert.True(error.Failures.Any(f => f.Contains(expected, StringComparison.Ordinal)), $"{name}: {string.Join(" | ", error.Failures)}");
    }

    [Fact]
    public void AddGroq_CacheDisabled_OtherCacheSettingsNotChecked()
    {
        using ServiceProvider provider = Build(o =>
        {
            o.Cache.Enabled = false;
            o.Cache.Store = ResponseCacheStoreKind.Distributed;
        });

        Assert.False(provider.GetRequiredService<IOptions<GroqOptions>>().Value.Cache.Enabled);
    }

    private static ServiceProvider Build(Action<GroqOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddLogging();
        services?.Invoke(collection);
        collection.AddGroq(o =>
        {
            o.ApiKey = "gsk_test_0123456789abcdefghijklmnop";
            o.Usage.Persist = false;
            configure?.Invoke(o);
        });
        return collection.BuildServiceProvider();
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
