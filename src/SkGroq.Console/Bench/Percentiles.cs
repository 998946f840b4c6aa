namespace SkGroq.Console.Bench;

/// <summary>Nearest-rank percentiles over sorted samples.</summary>
internal static class Percentiles
{
    /// <summary>Gets the index of the <paramref name="p"/> percentile in a sorted array of <paramref name="count"/> samples (nearest rank).</summary>
    /// <param name="count">The number of samples (at least one).</param>
    /// <param name="p">The percentile, 0–1.</param>
    /// <returns>The index.</returns>
    public static int RankIndex(int count, double p) => Math.Clamp((int)Math.Ceiling(p * count) - 1, 0, count - 1);

    /// <summary>Summarises durations in milliseconds.</summary>
    /// <param name="values">The durations.</param>
    /// <returns>p50, p95, p99 and the maximum; <see langword="null"/> when there are none.</returns>
    public static LatencyPercentiles? Of(IEnumerable<TimeSpan> values)
    {
        double[] sorted = [.. values.Select(v => v.TotalMilliseconds).Order()];
        return sorted.Length == 0 ? null : new LatencyPercentiles(
            Math.Round(sorted[RankIndex(sorted.Length, 0.50)], 2),
            Math.Round(sorted[RankIndex(sorted.Length, 0.95)], 2),
            Math.Round(sorted[RankIndex(sorted.Length, 0.99)], 2),
            Math.Round(sorted[^1], 2),
            sorted.Length);
    }
}
