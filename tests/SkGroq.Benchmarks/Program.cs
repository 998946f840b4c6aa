using System.Reflection;
using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, e.g. dotnet run -c Release --project tests/SkGroq.Benchmarks -- --filter '*SseTap*'
// "redis-latency [count]" measures the shared quota's round-trip percentiles instead (docs/BENCHMARKS.md, Redis).
if (args is ["redis-latency", .. string[] rest])
{
    return await SkGroq.Benchmarks.Redis.RedisLatencyMeasurement.RunAsync(rest);
}

BenchmarkSwitcher.FromAssembly(Assembly.GetExecutingAssembly()).Run(args);
return 0;
