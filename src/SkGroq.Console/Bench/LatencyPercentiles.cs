namespace SkGroq.Console.Bench;

/// <summary>Percentiles of a latency, in milliseconds.</summary>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Max">The largest.</param>
/// <param name="Count">The number of samples.</param>
internal sealed record LatencyPercentiles(double P50, double P95, double P99, double Max, int Count);
