using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Caching;
using SkGroq.Configuration;
using SkGroq.Emulator;
using StackExchange.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>The response cache's distributed tier on Redis, through the whole pipeline: what one instance stored, another serves.</summary>
public sealed class RedisResponseCacheTests
{
    private const string Model = "llama-3.1-8b-instant";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_AnsweredByOneInstance_IsServedByAnotherFromRedis_UnderTheCachesKeyAndRetention()
    {
        IConnectionMultiplexer admin = await RedisTestServer.RequireAsync();
        string prefix = RedisTestServer.NewPrefix();
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, Ct);
        try
        {
            await using ServiceProvider first = Instance(emulator, prefix);
            await using ServiceProvider second = Instance(emulator, prefix);
            var request = new
            {
                model = Model,
                messages = new[] { new { role = "user", content = "What is the capital of France?" } },
                temperature = 0,
                max_tokens = 32,
            };

            string stored = await AskAsync(first, request);
            string served = await AskAsync(second, request);

            Assert.Equal(stored, served);
            Assert.Equal(1, emulator.Accounting.Get(emulator.ApiKey, Model).Requests);

            // One entry, kept for the time to live plus the stale window (10 + 1 minutes), as in the memory store.
            RedisKey entry = Assert.Single(await KeysAsync(admin, prefix + ":cache:"));
            TimeSpan? ttl = await admin.GetDatabase().KeyTimeToLiveAsync(entry);
            Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(10.5), TimeSpan.FromMinutes(11));
        }
        finally
        {
            await RedisTestServer.DeleteKeysAsync(prefix);
        }
    }

    private static ServiceProvider Instance(GroqEmulator emulator, string prefix)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = emulator.ApiKey;
            o.BaseUrl = emulator.BaseUrl.AbsoluteUri;
            o.Usage.Persist = false;
            o.Redis.ConnectionString = RedisTestServer.Endpoint;
            o.Redis.KeyPrefix = prefix;
            o.Cache.Store = ResponseCacheStoreKind.Distributed;
            o.Cache.KeyPrefix = prefix + ":cache:";
            o.Cache.TimeToLive = TimeSpan.FromMinutes(10);
            o.Cache.StaleWindow = TimeSpan.FromMinutes(1);
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    private static async Task<string> AskAsync(ServiceProvider instance, object request)
    {
        HttpClient client = instance.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);
        using HttpResponseMessage response = await client.PostAsJsonAsync(new Uri("chat/completions", UriKind.Relative), request, Ct);
        response.EnsureSuccessStatusCode();
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    private static async Task<List<RedisKey>> KeysAsync(IConnectionMultiplexer admin, string prefix)
    {
        var keys = new List<RedisKey>();
        await foreach (RedisKey key in admin.GetServers()[0].KeysAsync(pattern: prefix + "*"))
        {
            keys.Add(key);
        }

        return keys;
    }
}
