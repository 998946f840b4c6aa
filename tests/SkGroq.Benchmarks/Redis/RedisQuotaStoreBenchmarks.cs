using BenchmarkDotNet.Attributes;
using SkGroq.Context;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Benchmarks.Redis;

/// <summary>
/// One Redis round trip per quota operation, on loopback (mean and allocations; p99 comes from <see cref="RedisLatencyMeasurement"/>).
/// Needs a Redis server: <c>SKGROQ_TEST_REDIS=127.0.0.1:6390</c>. Limits are high enough never to make a request wait.
/// </summary>
[MemoryDiagnoser]
public class RedisQuotaStoreBenchmarks : IAsyncDisposable
{
    private static readonly QuotaKey s_key = new("org_bench", "llama-3.1-8b-instant");
    private static readonly QuotaRequest s_request = QuotaRequest.Exact(1_100, new ModelLimits(1_000_000_000, 1_000_000_000, 1_000_000_000, 1_000_000_000));
    private RedisConnection _connection = null!;
    private RedisQuotaStore _redis = null!;
    private FallbackQuotaStore _store = null!;
    private QuotaLimiter _limiter = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        RedisOptions options = BenchmarkRedis.Options();
        _connection = new RedisConnection(options);
        _redis = new RedisQuotaStore(_connection, options);
        _store = new FallbackQuotaStore(_redis, options, TimeProvider.System);
        _limiter = new QuotaLimiter(_store, TimeProvider.System, maxQueueLength: 1_000);
        QuotaDecision first = await _redis.TryReserveAsync(s_key, s_request);
        await _redis.SettleAsync(first.Reservation, 0);
    }

    [GlobalCleanup]
    public async ValueTask DisposeAsync()
    {
        _limiter.Dispose();
        await _connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The reserve script alone: one EVALSHA (released afterwards, outside the measurement's interest but inside the time).</summary>
    [Benchmark(Baseline = true)]
    public async Task<bool> ReserveThenRelease()
    {
        QuotaDecision decision = await _redis.TryReserveAsync(s_key, s_request);
        return await _redis.ReleaseAsync(decision.Reservation);
    }

    /// <summary>What a request costs the shared quota: reserve, then settle to the usage (two round trips).</summary>
    [Benchmark]
    public async Task<bool> ReserveThenSettle()
    {
        QuotaDecision decision = await _redis.TryReserveAsync(s_key, s_request);
        return await _redis.SettleAsync(decision.Reservation, 350);
    }

    /// <summary>The same through the limiter and the fallback store, as the rate-limiting handler calls it.</summary>
    [Benchmark]
    public async Task<bool> AcquireThenSettle_ThroughTheLimiter()
    {
        QuotaLease lease = await _limiter.AcquireAsync(s_key, s_request, GroqPriority.Interactive, DateTimeOffset.MaxValue);
        return await lease.SettleAsync(350);
    }

    /// <summary>A read-only decision (one round trip).</summary>
    [Benchmark]
    public async Task<bool> Peek() => (await _redis.PeekAsync(s_key, s_request)).IsAdmitted;
}
