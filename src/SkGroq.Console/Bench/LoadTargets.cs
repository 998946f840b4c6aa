namespace SkGroq.Console.Bench;

/// <summary>The load run's targets (docs/BENCHMARKS.md) and whether the run met them.</summary>
/// <param name="TtftOverheadP99MsLimit">The most the client may add to time to first token at p99, in milliseconds.</param>
/// <param name="TtftOverheadMet">Whether the warm requests' p99 overhead stayed within it.</param>
/// <param name="WorkingSetMbLimit">The largest working set allowed, in MB.</param>
/// <param name="WorkingSetMet">Whether the peak working set stayed within it.</param>
internal sealed record LoadTargets(double TtftOverheadP99MsLimit, bool? TtftOverheadMet, double WorkingSetMbLimit, bool WorkingSetMet)
{
    /// <summary>The p99 time-to-first-token overhead target with 1,000 concurrent streams.</summary>
    public const double TtftOverheadP99Ms = 5;

    /// <summary>The working-set target with 1,000 concurrent streams.</summary>
    public const double WorkingSetMb = 200;
}
