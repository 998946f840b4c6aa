using System.Text.Json.Serialization;

namespace SkGroq.Console.Bench;

/// <summary>The outcome of <c>bench load</c> (snake_case in JSON).</summary>
/// <param name="Ok">Whether every conversation got every answer.</param>
/// <param name="Client">What the load went through: <c>skgroq</c> or <c>plain</c>.</param>
/// <param name="Server">The server.</param>
/// <param name="Model">The model.</param>
/// <param name="Streams">Conversations streaming at once.</param>
/// <param name="DurationS">How long conversations kept asking, in seconds.</param>
/// <param name="ElapsedS">From the first request to the end of the last, in seconds.</param>
/// <param name="ThinkMs">The pause between an answer and the next question, in milliseconds.</param>
/// <param name="MaxTokens">The <c>max_tokens</c> of every request.</param>
/// <param name="StreamsCompleted">Conversations in which every request got its whole answer.</param>
/// <param name="Requests">Streamed answers received.</param>
/// <param name="RequestsFailed">Requests that failed.</param>
/// <param name="FailuresByKind">Failed requests by error kind.</param>
/// <param name="TtftMs">Time to first token as the client measured it (warm requests: not a conversation's first).</param>
/// <param name="TtftOverheadMs">The same minus the server's own time to first token: what the client and the machine added.</param>
/// <param name="FirstRequestTtftOverheadMs">The overhead of each conversation's first request, which may open a connection.</param>
/// <param name="CompletionTokens">Completion tokens received.</param>
/// <param name="TokensPerSecond">Completion tokens per second over the run, all streams together.</param>
/// <param name="StreamTokensPerSecondP50">The median stream's speed from its first token to its end.</param>
/// <param name="CpuMs">CPU time of the whole process during the run (an in-process emulator included).</param>
/// <param name="CpuMsPer1000Requests">CPU time per 1,000 streamed answers.</param>
/// <param name="Memory">Working set and allocations.</param>
/// <param name="Gc">Garbage collections.</param>
/// <param name="ThreadPool">Thread-pool health.</param>
/// <param name="ConnectionsOpened">Connections the client opened (HTTP/1.1: one per concurrent stream; more would mean connections were not reused).</param>
/// <param name="Targets">The targets and whether they were met.</param>
internal sealed record LoadReport(
    bool Ok,
    string Client,
    LoadServerReport Server,
    string Model,
    int Streams,
    double DurationS,
    double ElapsedS,
    double ThinkMs,
    int MaxTokens,
    int StreamsCompleted,
    long Requests,
    long RequestsFailed,
    IReadOnlyDictionary<string, int> FailuresByKind,
    LatencyPercentiles? TtftMs,
    LatencyPercentiles? TtftOverheadMs,
    LatencyPercentiles? FirstRequestTtftOverheadMs,
    long CompletionTokens,
    double TokensPerSecond,
    double? StreamTokensPerSecondP50,
    double CpuMs,
    [property: JsonPropertyName("cpu_ms_per_1000_requests")] double? CpuMsPer1000Requests,
    MemoryReport Memory,
    GcReport Gc,
    ThreadPoolReport ThreadPool,
    long ConnectionsOpened,
    LoadTargets Targets)
{
    private const double Megabyte = 1024 * 1024;

    /// <summary>Summarises a run.</summary>
    /// <param name="settings">What ran.</param>
    /// <param name="client">What it went through.</param>
    /// <param name="server">Where it went.</param>
    /// <param name="run">The requests.</param>
    /// <param name="runtime">What the process did meanwhile.</param>
    /// <param name="connectionsOpened">Connections the client opened.</param>
    /// <returns>The report.</returns>
    public static LoadReport Create(LoadSettings settings, LoadClient client, LoadServerReport server, LoadRun run, RuntimeReport runtime, long connectionsOpened)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(runtime);
        LoadSample[] samples = [.. run.Conversations.SelectMany(c => c.Samples)];
        LoadSample[] warm = [.. samples.Where(s => !s.FirstOfConversation)];
        LoadSample[] first = [.. samples.Where(s => s.FirstOfConversation)];
        long failed = run.Conversations.Sum(c => (long)c.Failures.Count);
        int completed = run.Conversations.Count(c => c.Failures.Count == 0 && c.Samples.Count > 0);
        long tokens = samples.Sum(s => s.CompletionTokens);
        double[] speeds = [.. samples.Where(s => s.Generation > TimeSpan.Zero).Select(s => s.CompletionTokens / s.Generation.TotalSeconds).Order()];
        TimeSpan serverTtft = settings.ServerTimeToFirstToken;
        LatencyPercentiles? overhead = Percentiles.Of(warm.Select(s => s.TimeToFirstToken - serverTtft));
        double peakMb = runtime.PeakWorkingSet / Megabyte;
        return new LoadReport(
            Ok: failed == 0 && completed == settings.Streams,
            Client: client == LoadClient.SkGroq ? "skgroq" : "plain",
            Server: server,
            Model: settings.Model,
            Streams: settings.Streams,
            DurationS: settings.Duration.TotalSeconds,
            ElapsedS: Math.Round(run.Elapsed.TotalSeconds, 3),
            ThinkMs: settings.ThinkTime.TotalMilliseconds,
            MaxTokens: settings.MaxTokens,
            StreamsCompleted: completed,
            Requests: samples.Length,
            RequestsFailed: failed,
            FailuresByKind: run.Conversations.SelectMany(c => c.Failures).GroupBy(k => k, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            TtftMs: Percentiles.Of(warm.Select(s => s.TimeToFirstToken)),
            TtftOverheadMs: overhead,
            FirstRequestTtftOverheadMs: Percentiles.Of(first.Select(s => s.TimeToFirstToken - serverTtft)),
            CompletionTokens: tokens,
            TokensPerSecond: Math.Round(tokens / Math.Max(run.Elapsed.TotalSeconds, 1e-9), 1),
            StreamTokensPerSecondP50: speeds.Length == 0 ? null : Math.Round(speeds[Percentiles.RankIndex(speeds.Length, 0.5)], 1),
            CpuMs: Math.Round(runtime.Cpu.TotalMilliseconds, 1),
            CpuMsPer1000Requests: samples.Length == 0 ? null : Math.Round(runtime.Cpu.TotalMilliseconds * 1000 / samples.Length, 1),
            Memory: new MemoryReport(
                Math.Round(runtime.WorkingSetBefore / Megabyte, 1),
                Math.Round(peakMb, 1),
                Math.Round((runtime.PeakWorkingSet - runtime.WorkingSetBefore) / Megabyte * 1000 / settings.Streams, 1),
                Math.Round(runtime.AllocatedBytes / Megabyte, 1),
                samples.Length == 0 ? null : Math.Round(runtime.AllocatedBytes / 1024.0 / samples.Length, 1)),
            Gc: new GcReport(runtime.Gen0Collections, runtime.Gen1Collections, runtime.Gen2Collections, Math.Round(runtime.GcPause.TotalMilliseconds, 1)),
            ThreadPool: new ThreadPoolReport(
                runtime.MinWorkerThreads,
                runtime.ThreadsMax,
                runtime.QueueLengthP99,
                runtime.QueueLengthMax,
                Math.Round(runtime.TimerLagP99Ms, 2),
                Math.Round(runtime.TimerLagMaxMs, 2),
                runtime.CompletedWorkItems,
                runtime.LockContentions),
            ConnectionsOpened: connectionsOpened,
            Targets: new LoadTargets(
                LoadTargets.TtftOverheadP99Ms,
                overhead is null ? null : overhead.P99 <= LoadTargets.TtftOverheadP99Ms,
                LoadTargets.WorkingSetMb,
                peakMb <= LoadTargets.WorkingSetMb));
    }
}
