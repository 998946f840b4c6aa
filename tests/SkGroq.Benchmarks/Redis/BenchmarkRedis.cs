using SkGroq.Redis;

namespace SkGroq.Benchmarks.Redis;

/// <summary>The Redis the benchmarks use: <c>SKGROQ_TEST_REDIS</c> (host:port, as for the tests), else 127.0.0.1:6379; keys under a fresh prefix.</summary>
internal static class BenchmarkRedis
{
    public static string Endpoint => Environment.GetEnvironmentVariable("SKGROQ_TEST_REDIS") is { Length: > 0 } value ? value.Trim() : "127.0.0.1:6379";

    public static RedisOptions Options() => new()
    {
        ConnectionString = Endpoint,
        KeyPrefix = "skgroq-bench:" + Guid.NewGuid().ToString("N")[..8],
        OperationTimeout = TimeSpan.FromSeconds(5),
    };
}
