using System.CommandLine;
using System.Globalization;
using SkGroq.Console.Bench.Web;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>bench web</c>: the web chat host under N concurrent browser sessions, a share of them leaving mid-answer.</summary>
internal static class BenchWebCommand
{
    private static readonly Option<int> s_sessions = new("--sessions") { Description = "How many sessions stream at once in each round.", DefaultValueFactory = _ => 200 };
    private static readonly Option<int> s_rounds = new("--rounds") { Description = "How many rounds; the process is read after each one.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> s_disconnect = new("--disconnect-every") { Description = "Every k-th session closes its tab after the first text frame (0: none leave).", DefaultValueFactory = _ => 3 };
    private static readonly Option<int> s_words = new("--answer-words") { Description = "The length of each answer, in words.", DefaultValueFactory = _ => 400 };
    private static readonly Option<double> s_ttftMs = new("--ttft-ms") { Description = "The emulator's time to first token, in ms.", DefaultValueFactory = _ => 50 };
    private static readonly Option<double> s_tokensPerSecond = new("--tokens-per-second") { Description = "The emulator's generation speed.", DefaultValueFactory = _ => 400 };

    private static readonly Option<double> s_settle = new("--settle") { Description = "Seconds to stay idle after the last round before the final reading (an idle pooled connection closes once it has been idle 60 s, which the pool checks about once a minute; a thread-pool thread leaves after 20 s without work).", DefaultValueFactory = _ => 130 };

    public static Command Create()
    {
        var command = new Command("web", "The web chat host under load: rounds of N concurrent streaming sessions, every k-th leaving mid-answer; checks that every request ends with its usage record and reads heap, working set, file descriptors and threads after each round.")
        {
            s_sessions,
            s_rounds,
            s_disconnect,
            s_words,
            s_ttftMs,
            s_tokensPerSecond,
            s_settle,
        };
        CommandRunner.SetAction(command, RunAsync, needsServer: false, validate: parse =>
        {
            if (parse.GetValue(s_sessions) is < 1 or > 5_000 || parse.GetValue(s_rounds) is < 1 or > 100 || parse.GetValue(s_disconnect) < 0 || parse.GetValue(s_words) is < 1 or > 10_000)
            {
                throw new HarnessUsageException("--sessions must be 1 to 5,000, --rounds 1 to 100, --disconnect-every 0 or more, --answer-words 1 to 10,000.");
            }

            if (new[] { parse.GetValue(s_ttftMs), parse.GetValue(s_tokensPerSecond), parse.GetValue(s_settle) }.Any(static v => double.IsNaN(v) || v < 0 || v > 3600))
            {
                throw new HarnessUsageException("--ttft-ms, --tokens-per-second and --settle must be between 0 and 3,600.");
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var settings = new WebLoadSettings(
            context.Get(s_sessions),
            context.Get(s_rounds),
            context.Get(s_disconnect),
            context.Get(s_words),
            TimeSpan.FromMilliseconds(context.Get(s_ttftMs)),
            context.Get(s_tokensPerSecond),
            WarmupSessions: Math.Min(20, context.Get(s_sessions)),
            Settle: TimeSpan.FromSeconds(context.Get(s_settle)));
        HarnessOutput output = context.Output;
        WebLoadReport report = await new WebLoadRunner(settings, TimeProvider.System).RunAsync(new Progress<string>(output.Status), cancellationToken);
        if (output.Json)
        {
            output.WriteJson(new { report.Settings, report.Baseline, report.Rounds, report.Settled, report.HeapGrowthMb, report.DescriptorGrowth, report.ThreadGrowth, report.AllEnded });
            return report.AllEnded ? ExitCodes.Success : ExitCodes.Failure;
        }

        var table = new Table().AddColumns("after", "sessions", "left", "cancelled", "s", "upstream", "usage records", "in flight", "first delta p50/p95 ms", "heap MB", "working set MB", "fds", "threads");
        table.AddRow("warm-up", settings.WarmupSessions.ToString(CultureInfo.InvariantCulture), "", "", "", "", "", "", "", F(report.Baseline.ManagedHeapMb), F(report.Baseline.WorkingSetMb), I(report.Baseline.OpenDescriptors), I(report.Baseline.Threads));
        foreach (WebLoadRound round in report.Rounds)
        {
            table.AddRow(
                $"round {round.Round}",
                I(round.Sessions),
                I(round.Disconnected),
                I(round.Cancelled),
                F(round.Seconds),
                round.UpstreamRequests.ToString(CultureInfo.InvariantCulture),
                round.UsageRecords.ToString(CultureInfo.InvariantCulture),
                I(round.InFlightAfter),
                round.FirstDeltaMs is { } t ? $"{F(t.P50)} / {F(t.P95)}" : "–",
                F(round.After.ManagedHeapMb),
                F(round.After.WorkingSetMb),
                I(round.After.OpenDescriptors),
                I(round.After.Threads));
        }

        table.AddRow($"idle {settings.Settle.TotalSeconds:N0} s", "", "", "", "", "", "", "", "", F(report.Settled.ManagedHeapMb), F(report.Settled.WorkingSetMb), I(report.Settled.OpenDescriptors), I(report.Settled.Threads));
        output.Out.Write(table);
        output.Out.MarkupLine(report.AllEnded
            ? $"[green]every request ended with its usage record; nothing in flight[/] · idle after the run against after warm-up: heap {report.HeapGrowthMb:+0.0;-0.0} MB, {report.DescriptorGrowth:+0;-0;0} file descriptors, {report.ThreadGrowth:+0;-0;0} threads"
            : "[red]a request did not end (upstream requests, usage records and sessions differ, or a call is still in flight)[/]");
        return report.AllEnded ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
