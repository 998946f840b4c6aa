using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// What each row costs the process per request, measured over a sequential block of requests: CPU time (all threads, the
/// in-process emulator included, so compare rows), bytes allocated (all threads), and thread-pool work items (each is a
/// hop between threads: on a busy machine, a hop can wait for a core, which is why wall time moves more than CPU time).
/// </summary>
internal static class PipelineCost
{
    // Enough for tiered compilation to promote the pipeline's methods before the measured block (200 left the first row in tier 0).
    private const int WarmUpRequests = 2_000;

    public static async Task<string> RunAsync(PipelineVariant[] variants, int requests, bool allocations = false)
    {
        using AllocationSampler? sampler = allocations ? new AllocationSampler() : null;
        var byType = new StringBuilder();
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Cost per request, {requests:N0} sequential requests per row (whole process: the emulator's share is the same for every row of a kind)."));
        text.AppendLine();
        text.AppendLine("| Request | Client | CPU µs | allocated KB | thread-pool work items | wall µs (mean) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|");
        using Process process = Process.GetCurrentProcess();
        foreach (PipelineVariant variant in variants)
        {
            for (int i = 0; i < WarmUpRequests; i++)
            {
                await variant.Run();
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            TimeSpan cpu = process.TotalProcessorTime;
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            long workItems = ThreadPool.CompletedWorkItemCount;
            long start = TimeProvider.System.GetTimestamp();
            sampler?.Start();
            for (int i = 0; i < requests; i++)
            {
                await variant.Run();
            }

            sampler?.Stop();
            TimeSpan wall = TimeProvider.System.GetElapsedTime(start);
            if (sampler is not null)
            {
                byType.AppendLine(Invariant($"{variant.Kind} · {variant.Client}, sampled bytes per request by type:"));
                foreach ((string type, long bytes) in sampler.Bytes.OrderByDescending(p => p.Value).Take(25))
                {
                    byType.AppendLine(Invariant($"  {bytes / (double)requests,9:0} B  {type}"));
                }
            }

            process.Refresh();
            double cpuUs = (process.TotalProcessorTime - cpu).TotalMicroseconds / requests;
            double allocatedKb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1024.0 / requests;
            double items = (double)(ThreadPool.CompletedWorkItemCount - workItems) / requests;
            text.AppendLine(Invariant($"| {variant.Kind} | {variant.Client} | {cpuUs:0.0} | {allocatedKb:0.00} | {items:0.00} | {wall.TotalMicroseconds / requests:0.0} |"));
        }

        return text.Append(byType).ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
