using SkGroq.Redis;
using StackExchange.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>
/// The real Redis server the tests use: <c>SKGROQ_TEST_REDIS</c> (host:port; <c>.ci/run</c> starts one on 127.0.0.1:6390), else a
/// <c>redis-server</c> from PATH that this test process starts on a free port and stops when it exits. A test that needs Redis
/// skips with the reason (how to install one) when neither is there — except in CI (<c>CI=true</c>), where it fails, so CI
/// cannot skip silently.
/// </summary>
internal static class RedisTestServer
{
    public const string Variable = "SKGROQ_TEST_REDIS";

    private static readonly Lazy<string> s_endpoint = new(ResolveEndpoint);
    private static readonly Lazy<Task<(IConnectionMultiplexer? Admin, string? Problem)>> s_admin = new(ConnectAdminAsync);
    private static readonly Lazy<RedisConnection> s_connection = new(() => new RedisConnection(Options()));

    /// <summary>Gets the endpoint (host:port): <c>SKGROQ_TEST_REDIS</c>, else a server of this process's own, else 127.0.0.1:6379.</summary>
    public static string Endpoint => s_endpoint.Value;

    /// <summary>Gets a value indicating whether the tests run in CI.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets one connection shared by the tests of this process (each test uses its own key prefix).</summary>
    public static RedisConnection Connection => s_connection.Value;

    /// <summary>Makes sure Redis answers: skips the test otherwise (fails it in CI).</summary>
    /// <returns>A connection for administration (deleting test keys, reading TTLs).</returns>
    public static async Task<IConnectionMultiplexer> RequireAsync()
    {
        (IConnectionMultiplexer? admin, string? problem) = await s_admin.Value;
        if (admin is not null)
        {
            return admin;
        }

        string reason = $"No Redis server answers at {Endpoint} ({problem}). Install one (apt-get install -y redis-server): the tests then start their own on a free port. Or point {Variable} at a server (host:port).";
        if (IsCi)
        {
            Assert.Fail($"{reason} CI=true: tests that need Redis must not be skipped.");
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("Unreachable: Assert.Skip throws.");
    }

    /// <summary>Gets settings for a store under its own key prefix.</summary>
    /// <param name="prefix">The key prefix; a fresh one when null.</param>
    /// <returns>The settings.</returns>
    public static RedisOptions Options(string? prefix = null) => new()
    {
        ConnectionString = Endpoint,
        KeyPrefix = prefix ?? NewPrefix(),
        OperationTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Gets a key prefix no other test uses.</summary>
    /// <returns>The prefix.</returns>
    public static string NewPrefix() => "skgroq-test:" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Deletes every key under a prefix.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <returns>A task.</returns>
    public static async Task DeleteKeysAsync(string prefix)
    {
        (IConnectionMultiplexer? admin, _) = await s_admin.Value;
        if (admin is null)
        {
            return;
        }

        IServer server = admin.GetServers()[0];
        List<RedisKey> keys = [];
        await foreach (RedisKey key in server.KeysAsync(pattern: prefix + ":*"))
        {
            keys.Add(key);
        }

        if (keys.Count > 0)
        {
            await admin.GetDatabase().KeyDeleteAsync([.. keys]);
        }
    }

    private static string ResolveEndpoint()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return configured.Trim();
        }

        if (!MultiProcess.RedisServerProcess.IsInstalled)
        {
            return "127.0.0.1:6379";
        }

        // A server of this test process's own, stopped when the process exits (no persistence, a free port).
        MultiProcess.RedisServerProcess server = MultiProcess.RedisServerProcess.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillAsync().GetAwaiter().GetResult();
        return server.Endpoint;
    }

    private static async Task<(IConnectionMultiplexer?, string?)> ConnectAdminAsync()
    {
        try
        {
            var configuration = ConfigurationOptions.Parse(Endpoint);
            configuration.AbortOnConnectFail = true;
            configuration.ConnectTimeout = 2_000;
            configuration.AllowAdmin = true;
            return (await ConnectionMultiplexer.ConnectAsync(configuration), null);
        }
        catch (RedisConnectionException exception)
        {
            return (null, exception.Message);
        }
    }
}
