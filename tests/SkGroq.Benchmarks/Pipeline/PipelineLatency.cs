using System.Globalization;
using System.Text;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// Per-request latency distributions of the fifteen <see cref="PipelineVariant"/>s, interleaved: every round runs each row
/// once in a shuffled order, so background load (other builds on a shared machine) hits all rows alike. Reports p50, p90,
/// p99, p99.9 per row, the median ratios against the baselines, and what SkGroq adds to time to first token at p50 and p99.
/// Then measures connection reuse (<see cref="ConnectionReuse"/>). Prints Markdown.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project tests/SkGroq.Benchmarks -- latency [--server replay] [--rounds 3000] [--warmup 3000] [--only "JSON · SK via"] [--cost [--allocations]] [--without usage,cache,ratelimiting,resilience]</c>
/// (<c>--server replay</c> sends to a <see cref="ReplayServer"/> replaying the emulator's recorded answers, whose own cost per
/// request is as small as possible, instead of to the zero-latency emulator.)
/// (<c>--only</c> keeps the rows whose "kind · client" contains the text, e.g. to profile one of them; <c>--cost</c> measures
/// only the cost per request, <see cref="PipelineCost"/>, over <c>--rounds</c> requests per row).
/// A first-token row is timed to its first piece of text; disposing the rest of the stream is not part of its time.
/// The warm-up is long on purpose: with tiered compilation and dynamic PGO, 300 rounds left much of the pipeline in tier-0
/// or instrumented code during the measured rounds on this 2-core machine (the pipeline has more methods to promote than a
/// bare HttpClient), which alone made SkGroq look 20–50 µs slower per request than at steady state.
/// </remarks>
internal static class PipelineLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        int rounds = Argument(args, "--rounds", 3000);
        int warmup = Argument(args, "--warmup", 3000);
        TimeProvider clock = TimeProvider.System;
        // Diagnostics: handlers switched off (comma-separated) show what they cost on the network path.
        string[] without = Argument(args, "--without")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        await using PipelineFixture fixture = await PipelineFixture.StartAsync(o =>
        {
            o.Usage.Enabled = !without.Contains("usage", StringComparer.OrdinalIgnoreCase);
            o.Cache.Enabled = !without.Contains("cache", StringComparer.OrdinalIgnoreCase);
            o.RateLimiting.Enabled = !without.Contains("ratelimiting", StringComparer.OrdinalIgnoreCase);
            o.Resilience.Enabled = !without.Contains("resilience", StringComparer.OrdinalIgnoreCase);
        }, replay: string.Equals(Argument(args, "--server"), "replay", StringComparison.OrdinalIgnoreCase));
        string? only = Argument(args, "--only");
        bool costOnly = args.Contains("--cost");
        PipelineVariant[] variants = [.. PipelineVariant.All(fixture).Where(v => only is null || $"{v.Kind} · {v.Client}".Contains(only, StringComparison.OrdinalIgnoreCase))];
        if (costOnly)
        {
            Console.WriteLine(await PipelineCost.RunAsync(variants, rounds, allocations: args.Contains("--allocations")));
            return 0;
        }

        double[][] samples = [.. variants.Select(_ => new double[rounds])];
        int[] order = [.. Enumerable.Range(0, variants.Length)];
        var random = new Random(42);
        for (int round = -warmup; round < rounds; round++)
        {
            random.Shuffle(order);
            foreach (int v in order)
            {
                long start = clock.GetTimestamp();
                long done = await variants[v].Run();
                if (round >= 0)
                {
                    samples[v][round] = clock.GetElapsedTime(start, done).TotalMicroseconds;
                }
            }
        }

        foreach (double[] s in samples)
        {
            Array.Sort(s);
        }

        var report = new StringBuilder();
        string server = fixture.BaseUrl == fixture.Emulator.BaseUrl ? "the zero-latency emulator" : "the replay server (recorded answers)";
        report.AppendLine(Invariant($"Interleaved sampler against {server}: {rounds:N0} rounds of all {variants.Length} rows in shuffled order after {warmup:N0} warm-up rounds; µs per request."));
        report.AppendLine();
        report.AppendLine("| Request | Client | p50 | p90 | p99 | p99.9 | mean |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        for (int v = 0; v < variants.Length; v++)
        {
            double[] s = samples[v];
            report.AppendLine(Invariant($"| {variants[v].Kind} | {variants[v].Client} | {P(s, 0.5):0.0} | {P(s, 0.9):0.0} | {P(s, 0.99):0.0} | {P(s, 0.999):0.0} | {s.Average():0.0} |"));
        }

        if (only is not null)
        {
            // A filtered run (profiling) has no baselines to compare with.
            Console.WriteLine(report.ToString());
            return 0;
        }

        report.AppendLine();
        report.AppendLine("| Request | SK via SkGroq ÷ SK plain (median) | SK via SkGroq ÷ SK + standard resilience (median) | groq HttpClient ÷ bare (median) | SkGroq adds, p50 (vs SK plain / vs standard / HTTP) | SkGroq adds, p99 (vs SK plain / vs standard / HTTP) |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (string kind in variants.Select(v => v.Kind).Distinct())
        {
            double[] Get(string client) => samples[Array.FindIndex(variants, v => v.Kind == kind && v.Client == client)];
            double[] skGroq = Get(PipelineVariant.SkGroq), skPlain = Get(PipelineVariant.SkPlain), standard = Get(PipelineVariant.SkStandard), groq = Get(PipelineVariant.GroqHttp), bare = Get(PipelineVariant.Bare);
            report.AppendLine(Invariant(
                $"| {kind} | {P(skGroq, 0.5) / P(skPlain, 0.5):0.000}× | {P(skGroq, 0.5) / P(standard, 0.5):0.000}× | {P(groq, 0.5) / P(bare, 0.5):0.000}× | {P(skGroq, 0.5) - P(skPlain, 0.5):0} / {P(skGroq, 0.5) - P(standard, 0.5):0} / {P(groq, 0.5) - P(bare, 0.5):0} µs | {P(skGroq, 0.99) - P(skPlain, 0.99):0} / {P(skGroq, 0.99) - P(standard, 0.99):0} / {P(groq, 0.99) - P(bare, 0.99):0} µs |"));
        }

        report.AppendLine();
        report.AppendLine(Invariant(
            $"Connections opened over the {rounds + warmup:N0} rounds ({(rounds + warmup) * 3:N0} requests per client, a third of them streams abandoned after the first token): groq {fixture.GroqConnections.ConnectionsOpened}, SK plain {fixture.SkPlainConnections.Opened}, bare {fixture.BareConnections.Opened}."));
        report.AppendLine();
        report.Append(await PipelineCost.RunAsync(variants, Math.Min(rounds, 2000)));
        report.AppendLine();
        report.Append(await ConnectionReuse.RunAsync(fixture));
        Console.WriteLine(report.ToString());
        return 0;
    }

    private static double P(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static int Argument(string[] args, string name, int fallback)
        => Argument(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string? Argument(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
