using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SkGroq.Caching.Stores;
using SkGroq.Configuration;
using SkGroq.Hosting;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>Configuration and registration: in-memory by default, Redis from <c>ConnectionStrings:Redis</c> / <c>GROQ_REDIS</c>, validation, the distributed cache.</summary>
public sealed class RedisRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddGroq_NoRedisConfigured_KeepsTheQuotaInProcess()
    {
        await using ServiceProvider provider = Build([]);

        Assert.IsType<InMemoryQuotaStore>(provider.GetRequiredService<QuotaLimiter>().Store);
    }

    [Fact]
    public async Task AddGroq_ConnectionStringsRedis_SharesTheQuotaThroughRedisWithTheFallback()
    {
        await using ServiceProvider provider = Build(new() { ["ConnectionStrings:Redis"] = "redis.invalid:6379", ["Groq:Redis:InstanceCount"] = "4" });

        RedisOptions options = provider.GetRequiredService<IOptions<GroqOptions>>().Value.Redis;
        Assert.Equal("redis.invalid:6379", options.ConnectionString);
        Assert.Equal(4, options.InstanceCount);
        FallbackQuotaStore store = Assert.IsType<FallbackQuotaStore>(provider.GetRequiredService<QuotaLimiter>().Store);
        Assert.IsType<RedisQuotaStore>(store.Shared);
    }

    [Fact]
    public async Task AddGroq_GroqRedisVariable_IsTheConnectionString()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(GroqEnvironmentVariables.ToConfiguration([new(GroqEnvironmentVariables.Redis, "10.0.0.5:6380,password=secret")]))
            .Build();

        await using ServiceProvider provider = BuildWith(configuration);

        Assert.Equal("10.0.0.5:6380,password=secret", provider.GetRequiredService<IOptions<GroqOptions>>().Value.Redis.ConnectionString);
        FallbackQuotaStore store = Assert.IsType<FallbackQuotaStore>(provider.GetRequiredService<QuotaLimiter>().Store);
        Assert.Equal("Redis at 10.0.0.5:6380", store.Shared.Description);
    }

    [Fact]
    public async Task AddGroq_GroqRedisConnectionString_WinsOverConnectionStrings()
    {
        await using ServiceProvider provider = Build(new() { ["ConnectionStrings:Redis"] = "a:1", ["Groq:Redis:ConnectionString"] = "b:2" });

        Assert.Equal("b:2", provider.GetRequiredService<IOptions<GroqOptions>>().Value.Redis.ConnectionString);
    }

    [Fact]
    public void RedisOptions_Defaults_AreDocumented()
    {
        var options = new RedisOptions();

        Assert.Null(options.ConnectionString);
        Assert.Equal("skgroq", options.KeyPrefix);
        Assert.Equal(1, options.InstanceCount);
        Assert.Equal(RedisFallbackPolicy.LocalShare, options.FallbackPolicy);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ReconnectInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RejoinPeriod);
        Assert.Equal(TimeSpan.FromHours(1), options.ReservationLifetime);
    }

    [Theory]
    [InlineData("Groq:Redis:KeyPrefix", "app{1}", "Groq:Redis:KeyPrefix 'app{1}' may hold only letters, digits and - _ . :")]
    [InlineData("Groq:Redis:InstanceCount", "0", "Groq:Redis:InstanceCount = '0' is out of range. Use a value from 1 to 10000")]
    [InlineData("Groq:Redis:ReservationLifetime", "00:00:10", "Groq:Redis:ReservationLifetime = '00:00:10' is out of range. Use a value from 1m to 2d")]
    [InlineData("ConnectionStrings:Redis", "localhost:6379,ssl=maybe,password=hunter2", "The Redis connection string (Groq:Redis:ConnectionString, ConnectionStrings:Redis or GROQ_REDIS) is not valid")]
    [InlineData("ConnectionStrings:Redis", ",,,", "names no server")]
    public async Task AddGroq_InvalidRedisSettings_FailAtStartWithAMessageNamingTheSetting(string key, string value, string expected)
    {
        await using ServiceProvider provider = Build(new() { [key] = value });

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GroqOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DistributedCache_RedisConfigured_IsSharedByTwoInstances()
    {
        await RedisTestServer.RequireAsync();
        string key = RedisTestServer.NewPrefix() + ":cache-entry";
        await using ServiceProvider first = Build(new() { ["ConnectionStrings:Redis"] = RedisTestServer.Endpoint });
        await using ServiceProvider second = Build(new() { ["ConnectionStrings:Redis"] = RedisTestServer.Endpoint });
        IDistributedCache writer = first.GetRequiredService<GroqRedisCache>().Cache;
        IDistributedCache reader = second.GetRequiredService<GroqRedisCache>().Cache;
        try
        {
            await writer.SetAsync(key, [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) }, Ct);

            Assert.Equal([1, 2, 3], await reader.GetAsync(key, Ct));
        }
        finally
        {
            await writer.RemoveAsync(key, Ct);
        }
    }

    [Fact]
    public async Task DistributedCache_UsesTheQuotasConnection()
    {
        await RedisTestServer.RequireAsync();
        await using ServiceProvider provider = Build(new() { ["ConnectionStrings:Redis"] = RedisTestServer.Endpoint, ["Groq:Cache:Store"] = "Distributed" });
        IDistributedCache cache = provider.GetRequiredService<GroqRedisCache>().Cache;

        await cache.GetAsync(RedisTestServer.NewPrefix() + ":absent", Ct);

        Assert.True(provider.GetRequiredService<RedisConnection>().IsConnected);

        // The response cache's distributed store is on it, and the application's container holds no IDistributedCache of ours.
        Assert.IsType<SkGroq.Caching.Stores.DistributedResponseCacheStore>(provider.GetRequiredService<SkGroq.Caching.Stores.IResponseCacheStore>());
        Assert.Null(provider.GetService<IDistributedCache>());
    }

    [Fact]
    public async Task DistributedCache_NoRedisConfigured_ExplainsWhatToSetWhenUsed()
    {
        await using ServiceProvider provider = Build([]);
        IDistributedCache cache = provider.GetRequiredService<GroqRedisCache>().Cache;

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync("k", Ct));

        Assert.Contains("ConnectionStrings:Redis (GROQ_REDIS)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGroq_CacheStoreDistributedWithoutRedis_FailsAtStartSayingWhatToSet()
    {
        await using ServiceProvider provider = Build(new() { ["Groq:Cache:Store"] = "Distributed" });

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GroqOptions>>().Value);

        Assert.Contains("Groq:Cache:Store is Distributed, but Redis is not configured", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddGroq_CacheStoreDistributedOnTheUsersOwnCache_NeedsNoRedis()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:Cache:Store"] = "Distributed" }).Build());
        services.AddDistributedMemoryCache();
        services.AddGroq(o => o.ApiKey = "gsk_test_0123456789abcdef");
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Equal(SkGroq.Caching.ResponseCacheStoreKind.Distributed, provider.GetRequiredService<IOptions<GroqOptions>>().Value.Cache.Store);
    }

    [Fact]
    public async Task DistributedCache_RegisteredBeforeAddGroq_IsKept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddDistributedMemoryCache();
        services.AddGroq(o => o.ApiKey = "gsk_test_0123456789abcdef");
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache>(provider.GetRequiredService<IDistributedCache>());
    }

    [Fact]
    public async Task AddGroq_RegistersNoIDistributedCache_AndTheDistributedStoreUsesTheApplicationsOwn()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Groq:Cache:Store"] = "Distributed", ["ConnectionStrings:Redis"] = "localhost:1" }).Build());
        services.AddGroq(o => o.ApiKey = "gsk_test_0123456789abcdef");
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IDistributedCache));

        var mine = new SkGroq.Tests.Caching.RecordingDistributedCache(new MemoryDistributedCache(Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions())));
        services.AddSingleton<IDistributedCache>(mine);
        await using ServiceProvider provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SkGroq.Caching.Stores.IResponseCacheStore>().ClearAsync(Ct);

        // Clearing writes the store's generation to the application's cache; Redis (at a closed port here) is never dialled.
        Assert.NotEmpty(mine.Written);
        Assert.False(provider.GetRequiredService<RedisConnection>().IsConnected);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) => BuildWith(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    private static ServiceProvider BuildWith(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.AddGroq(o => o.ApiKey = "gsk_test_0123456789abcdef");
        return services.BuildServiceProvider();
    }
}
