using System.Globalization;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Benchmarks.Redis;

/// <summary>
/// Latency percentiles of the reserve round trip (BenchmarkDotNet reports no p99): every call timed on its own, one at a time
/// and with several in flight. Run: <c>dotnet run -c Release --project tests/SkGroq.Benchmarks -- redis-latency [count]</c>.
/// </summary>
public static class RedisLatencyMeasurement
{
    private static readonly QuotaKey s_key = new("org_latency", "llama-3.1-8b-instant");
    private static readonly QuotaRequest s_request = QuotaRequest.Exact(1_100, new ModelLimits(1_000_000_000, 1_000_000_000, 1_000_000_000, 1_000_000_000));

    public static async Task<int> RunAsync(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        RedisOptions options = BenchmarkRedis.Options();
        await using var connection = new RedisConnection(options);
        var redis = new RedisQuotaStore(connection, options);
        var store = new FallbackQuotaStore(redis, options, TimeProvider.System);
        Console.WriteLine($"Redis at {BenchmarkRedis.Endpoint}, {count:N0} reservations per row, each settled after it was timed.");
        Console.WriteLine();
        Console.WriteLine("| Operation | In flight | p50 | p90 | p99 | p99.9 | max | ops/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");

        await MeasureAsync("RedisQuotaStore.TryReserveAsync", redis, Math.Min(count, 5_000), 1, print: false);
        foreach (int inFlight in (int[])[1, 8, 32])
        {
            await MeasureAsync("RedisQuotaStore.TryReserveAsync", redis, count, inFlight, print: true);
        }

        await MeasureAsync("FallbackQuotaStore.TryReserveAsync", store, count, 1, print: true);
        return 0;
    }

    private static async Task MeasureAsync(string name, IQuotaStore store, int count, int inFlight, bool print)
    {
        var elapsed = new long[count];
        int next = -1;
        long started = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                long start = TimeProvider.System.GetTimestamp();
                QuotaDecision decision = await store.TryReserveAsync(s_key, s_request);
                elapsed[i] = TimeProvider.System.GetTimestamp() - start;
                await store.SettleAsync(decision.Reservation, 350);
            }
        })));
        TimeSpan total = TimeProvider.System.GetElapsedTime(started);
        if (!print)
        {
            return;
        }

        Array.Sort(elapsed);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {inFlight} | {Micros(elapsed, 0.50)} | {Micros(elapsed, 0.90)} | {Micros(elapsed, 0.99)} | {Micros(elapsed, 0.999)} | {Micros(elapsed, 1.0)} | {count / total.TotalSeconds:N0} |"));
    }

    private static string Micros(long[] sorted, double quantile)
    {
        long ticks = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{ticks * 1_000_000.0 / TimeProvider.System.TimestampFrequency:0} µs");
    }
}
