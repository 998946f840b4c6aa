using System.CommandLine;
using System.Globalization;
using SkGroq.Console.Chaos;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary>
/// <c>bench chaos</c>: thousands of requests through Semantic Kernel and the full pipeline against an in-process emulator that
/// faults a share of them; fails (exit code 1) when a request hangs, ends late or untyped, a task exception goes unobserved,
/// or the usage ledger differs from the emulator's accounting.
/// </summary>
internal static class BenchChaosCommand
{
    private static readonly Option<int> s_requests = new("--requests", "-n") { Description = "How many requests to make (half of them streamed).", DefaultValueFactory = _ => 5000 };
    private static readonly Option<double> s_faultRate = new("--fault-rate") { Description = "The share of attempts the emulator faults (0–1), spread evenly over 429, 498, 500, 502, 503, reset, HTML page, slow first token, stall, mid-stream error frame and mid-stream disconnect.", DefaultValueFactory = _ => 0.2 };
    private static readonly Option<int> s_seed = new("--seed") { Description = "The seed of the request mix and of the emulator's fault draws.", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> s_concurrency = new("--concurrency", "-c") { Description = "How many requests are in flight at once.", DefaultValueFactory = _ => 32 };

    public static Command Create()
    {
        var command = new Command("chaos", "Soak the pipeline under faults: every request must end (answer or typed GroqException) within its deadline, nothing may hang or go unobserved, and the usage ledger must equal the emulator's accounting. Always runs against an in-process emulator with its own short timeouts.")
        {
            s_requests,
            s_faultRate,
            s_seed,
            s_concurrency,
        };

        // The run starts its own emulator and pipeline (ChaosRunner): the session's server and settings are not used.
        CommandRunner.SetAction(command, RunAsync, needsServer: false, validate: Validate);
        return command;
    }

    private static void Validate(ParseResult parse)
    {
        if (parse.GetValue(s_requests) is < 1 or > 1_000_000)
        {
            throw new HarnessUsageException($"--requests must be between 1 and 1,000,000 (got {parse.GetValue(s_requests)}).");
        }

        if (parse.GetValue(s_faultRate) is var rate && (double.IsNaN(rate) || rate < 0 || rate > 1))
        {
            throw new HarnessUsageException($"--fault-rate must be a share between 0 and 1, e.g. 0.2 for 20% (got {rate.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (parse.GetValue(s_concurrency) is < 1 or > 10_000)
        {
            throw new HarnessUsageException($"--concurrency must be between 1 and 10,000 (got {parse.GetValue(s_concurrency)}).");
        }
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessOutput output = context.Output;
        TimeProvider time = context.Session.Get<TimeProvider>();
        var settings = new ChaosSettings(context.Get(s_requests), context.Get(s_faultRate), context.Get(s_seed), context.Get(s_concurrency));

        ChaosReport report;
        if (output.Json)
        {
            report = await new ChaosRunner(time).RunAsync(settings, cancellationToken);
            output.WriteJson(report);
        }
        else
        {
            output.Out.MarkupLine($"[grey]{settings.Requests:N0} requests ({settings.StreamShare:P0} streamed), {settings.Concurrency} at once, {settings.FaultRate:P0} of attempts faulted; deadline {settings.Deadline.TotalSeconds:0} s, first byte {settings.FirstByteTimeout.TotalSeconds:0.#} s, stream idle {settings.StreamIdleTimeout.TotalSeconds:0.#} s (in-process emulator).[/]");
            report = await output.Err.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    ProgressTask task = progress.AddTask("starting", maxValue: settings.Requests);
                    var runner = new ChaosRunner(time)
                    {
                        Progress = new InlineProgress(p =>
                        {
                            task.Value = p.Completed;
                            task.Description = $"{p.Completed}/{p.Total} done, {p.Failed} typed errors, {p.Violations} violations";
                        }),
                    };
                    return await runner.RunAsync(settings, cancellationToken);
                });
            Print(output, report);
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void Print(HarnessOutput output, ChaosReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("check", "result");
        table.AddRow("requests", $"{Formatting.Number(report.Requests)} ({Formatting.Number(report.Streaming)} streamed) in {report.ElapsedSeconds:0.0} s");
        table.AddRow("answered", Formatting.Number(report.Succeeded));
        table.AddRow("typed errors", $"{Formatting.Number(report.Failed)}{(report.FailuresByKind.Count == 0 ? string.Empty : " (" + Markup.Escape(string.Join(", ", report.FailuresByKind.Select(p => $"{p.Key} {p.Value}"))) + ")")}");
        table.AddRow("faults sent", Markup.Escape(string.Join(", ", report.FaultsSent.Select(p => $"{p.Key} {p.Value}"))));
        table.AddRow("latency p50 / p95 / p99 / max", $"{report.LatencyMs.P50:0} / {report.LatencyMs.P95:0} / {report.LatencyMs.P99:0} / {report.LatencyMs.Max:0} ms (bound {report.BoundMs:0} ms)");
        table.AddRow("hangs", Verdict(report.Hangs));
        table.AddRow("late", Verdict(report.Late));
        table.AddRow("untyped errors", Verdict(report.Untyped));
        table.AddRow("unobserved task exceptions", Verdict(report.UnobservedTaskExceptions));
        ChaosLedgerCheck ledger = report.Ledger;
        table.AddRow("ledger records", Match(ledger.Records, report.Requests) + $" [grey]({ledger.CacheHits} cache hits, {ledger.Stale} stale, {ledger.FellBack} fallbacks, {ledger.Dropped} dropped)[/]");
        table.AddRow("attempts (ledger = emulator)", Match(ledger.LedgerAttempts, ledger.EmulatorAttempts));
        table.AddRow("whole answers (ledger = emulator)", Match(ledger.LedgerAnswers, ledger.EmulatorAnswers));
        table.AddRow("prompt tokens (ledger = emulator)", Match(ledger.LedgerPromptTokens, ledger.EmulatorPromptTokens));
        table.AddRow("completion tokens (ledger = emulator)", Match(ledger.LedgerCompletionTokens, ledger.EmulatorCompletionTokens));
        output.Out.Write(table);
        foreach (string sample in report.Samples)
        {
            output.Out.MarkupLine($"[grey]  {Markup.Escape(sample)}[/]");
        }

        output.Out.MarkupLine(report.Passed
            ? "[green]OK[/]: every request ended in time with an answer or a typed error; nothing hung or went unobserved; the ledger equals the emulator's accounting."
            : $"[red]FAILED[/]: {Markup.Escape(string.Join(" ", report.Violations))}");
    }

    private static string Verdict(long count) => count == 0 ? "[green]0[/]" : $"[red]{Formatting.Number(count)}[/]";

    private static string Match(long actual, long expected)
        => actual == expected ? $"[green]{Formatting.Number(actual)}[/]" : $"[red]{Formatting.Number(actual)} ≠ {Formatting.Number(expected)}[/]";

    /// <summary>Reports synchronously, on the reporting thread (<see cref="Progress{T}"/> would post to a context the console does not have).</summary>
    private sealed class InlineProgress(Action<ChaosProgress> report) : IProgress<ChaosProgress>
    {
        public void Report(ChaosProgress value) => report(value);
    }
}
