namespace SkGroq.Console.Chaos;

/// <summary>Percentiles of how long requests took, in milliseconds.</summary>
/// <param name="P50">The median.</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Max">The longest.</param>
internal sealed record ChaosLatency(double P50, double P95, double P99, double Max)
{
    /// <summary>Computes the percentiles (nearest rank).</summary>
    /// <param name="elapsed">Every request's duration.</param>
    /// <returns>The percentiles.</returns>
    public static ChaosLatency From(IEnumerable<TimeSpan> elapsed)
    {
        double[] sorted = [.. elapsed.Select(e => e.TotalMilliseconds).Order()];
        if (sorted.Length == 0)
        {
            return new ChaosLatency(0, 0, 0, 0);
        }

        double At(double p) => Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);
        return new ChaosLatency(At(0.50), At(0.95), At(0.99), Math.Round(sorted[^1], 1));
    }
}
