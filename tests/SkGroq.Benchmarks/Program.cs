using System.Reflection;
using BenchmarkDotNet.Running;
using SkGroq.Benchmarks.Pipeline;
using SkGroq.Benchmarks.Redis;

// Interleaved per-request latency distributions (p99 of time to first token) and connection reuse:
//   dotnet run -c Release --project tests/SkGroq.Benchmarks -- latency [--rounds 3000] [--warmup 300]
if (args is ["latency", .. string[] latencyArgs])
{
    return await PipelineLatency.RunAsync(latencyArgs);
}

// "redis-latency [count]" measures the shared quota's round-trip percentiles instead (docs/BENCHMARKS.md, Redis).
if (args is ["redis-latency", .. string[] redisArgs])
{
    return await RedisLatencyMeasurement.RunAsync(redisArgs);
}

// Pick benchmarks with --filter, e.g. dotnet run -c Release --project tests/SkGroq.Benchmarks -- --filter '*SseTap*'
BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
