using System.Text.Json.Serialization;

namespace SkGroq.Console.Bench;

/// <summary>Memory during a load run.</summary>
/// <param name="WorkingSetBeforeMb">The working set before the load, in MB.</param>
/// <param name="PeakWorkingSetMb">The largest working set seen during the load, in MB.</param>
/// <param name="PeakWorkingSetMbPer1000Streams">The growth from before to the peak, scaled to 1,000 concurrent streams.</param>
/// <param name="AllocatedMb">Managed bytes allocated during the load, all threads, in MB.</param>
/// <param name="AllocatedKbPerRequest">Managed bytes allocated per request, in KB.</param>
internal sealed record MemoryReport(
    double WorkingSetBeforeMb,
    double PeakWorkingSetMb,
    [property: JsonPropertyName("peak_working_set_mb_per_1000_streams")] double PeakWorkingSetMbPer1000Streams,
    double AllocatedMb,
    double? AllocatedKbPerRequest);
