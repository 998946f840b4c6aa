using System.CommandLine;
using System.Globalization;
using SkGroq.Console.Bench;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary>
/// <c>bench load</c>: N streaming conversations at once against the emulator; reports what the client adds to time to first
/// token (p50/p95/p99), tokens/s, CPU time, working set, garbage collections and thread-pool health.
/// </summary>
internal static class BenchLoadCommand
{
    private const int WarmupRounds = 5;
    private const int WarmupStreams = 4;

    private static readonly Option<int> s_streams = new("--streams") { Description = "How many conversations stream at once.", DefaultValueFactory = _ => 100 };
    private static readonly Option<double> s_duration = new("--duration") { Description = "How long conversations keep asking, in seconds; answers under way then finish.", DefaultValueFactory = _ => 30 };

    private static readonly Option<double> s_ttftMs = new("--ttft-ms")
    {
        Description = "The server's time to first token in ms: the in-process emulator is started with it, and it is subtracted from the measured one to give the client's overhead (for a standalone server, give its setting).",
        DefaultValueFactory = _ => 100,
    };

    private static readonly Option<double> s_tokensPerSecond = new("--tokens-per-second") { Description = "The in-process emulator's generation speed (0: no pacing).", DefaultValueFactory = _ => 500 };
    private static readonly Option<int> s_maxTokens = new("--max-tokens") { Description = "The max_tokens of every request (the emulator answers with 24–95 tokens unless cut).", DefaultValueFactory = _ => 256 };
    private static readonly Option<double> s_thinkMs = new("--think-ms") { Description = "Pause between an answer and the conversation's next question, in ms (0: every conversation is always streaming).", DefaultValueFactory = _ => 0 };
    private static readonly Option<double> s_ramp = new("--ramp") { Description = "Seconds over which the conversations start, evenly spread (0: all at once).", DefaultValueFactory = _ => 1 };

    private static readonly Option<string> s_client = new("--client")
    {
        Description = "What the load goes through: skgroq (Semantic Kernel through the full SkGroq pipeline) or plain (Semantic Kernel's OpenAI connector with a plain HttpClient: the baseline, to tell the pipeline's cost from the emulator's and the machine's).",
        DefaultValueFactory = _ => "skgroq",
    };

    private static readonly Option<int> s_seed = new("--seed") { Description = "The seed of the questions asked.", DefaultValueFactory = _ => 1 };

    public static Command Create()
    {
        s_client.AcceptOnlyFromAmong("skgroq", "plain");
        var command = new Command("load", "Stream N conversations at once against the emulator; report the time to first token the client adds (p50/p95/p99), tokens/s, CPU time, working set and thread-pool health. Rate limits are lifted: this measures overhead, not the limiter.")
        {
            s_streams,
            s_duration,
            s_ttftMs,
            s_tokensPerSecond,
            s_maxTokens,
            s_thinkMs,
            s_ramp,
            s_client,
            s_seed,
        };

        // The server is chosen by BenchTarget (an emulator started for the run unless a standalone one is configured), not by the session.
        CommandRunner.SetAction(command, RunAsync, needsServer: false, validate: Validate);
        return command;
    }

    private static void Validate(ParseResult parse)
    {
        if (parse.GetValue(s_streams) is < 1 or > 100_000)
        {
            throw new HarnessUsageException("--streams must be between 1 and 100,000.");
        }

        if (parse.GetValue(s_duration) is var duration && (double.IsNaN(duration) || duration < 0 || duration > 3600))
        {
            throw new HarnessUsageException("--duration must be between 0 and 3,600 seconds (0: one question per conversation).");
        }

        foreach ((Option<double> option, double value) in new[] { (s_ttftMs, parse.GetValue(s_ttftMs)), (s_tokensPerSecond, parse.GetValue(s_tokensPerSecond)), (s_thinkMs, parse.GetValue(s_thinkMs)), (s_ramp, parse.GetValue(s_ramp)) })
        {
            if (double.IsNaN(value) || value < 0 || value > 3_600_000)
            {
                throw new HarnessUsageException($"{option.Name} must be zero or a positive number (got {value.ToString(CultureInfo.InvariantCulture)}).");
            }
        }

        if (parse.GetValue(s_maxTokens) < 1)
        {
            throw new HarnessUsageException("--max-tokens must be at least 1.");
        }
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        HarnessOutput output = context.Output;
        TimeProvider time = session.Get<TimeProvider>();
        LoadClient client = context.Get(s_client) == "plain" ? LoadClient.Plain : LoadClient.SkGroq;
        TimeSpan ttft = TimeSpan.FromMilliseconds(context.Get(s_ttftMs));
        double tokensPerSecond = context.Get(s_tokensPerSecond);
        var settings = new LoadSettings(
            context.Get(s_streams),
            TimeSpan.FromSeconds(context.Get(s_duration)),
            session.Options.Model,
            context.Get(s_maxTokens),
            TimeSpan.FromMilliseconds(context.Get(s_thinkMs)),
            TimeSpan.FromSeconds(context.Get(s_ramp)),
            ttft,
            context.Get(s_seed));

        await using BenchTarget target = await BenchTarget.StartAsync(
            session,
            client,
            settings.Model,
            forceEmulator: context.Get(GlobalOptions.Emulator),
            o =>
            {
                o.TimeToFirstToken = ttft;
                o.TokensPerSecond = tokensPerSecond;
            },
            cancellationToken);
        var server = new LoadServerReport(target.Emulator is not null, target.BaseUrl.AbsoluteUri, ttft.TotalMilliseconds, target.Emulator is not null ? tokensPerSecond : null);
        if (target.Emulator is null)
        {
            output.Notice($"Load goes to the server at {target.BaseUrl} (GROQ_BASE_URL). Its time to first token is taken to be --ttft-ms = {ttft.TotalMilliseconds:0.#} ms; start it without binding rate limits.");
        }

        var runner = new LoadRunner(target.Chat, time);

        // JIT, connection and first-use costs of the process are paid before measuring; each conversation's first request is still reported apart.
        for (int i = 0; i < WarmupRounds; i++)
        {
            await runner.RunAsync(settings with { Streams = WarmupStreams, Duration = TimeSpan.Zero, Ramp = TimeSpan.Zero, ThinkTime = TimeSpan.Zero }, cancellationToken);
        }

        runner = new LoadRunner(target.Chat, time);
        long connectionsBefore = target.ConnectionsOpened;
        using RuntimeSampler sampler = RuntimeSampler.Start(time, TimeSpan.FromMilliseconds(100));
        LoadRun run = output.Json ? await runner.RunAsync(settings, cancellationToken) : await RunWithStatusAsync(output, runner, settings, time, cancellationToken);
        RuntimeReport runtime = sampler.Stop();
        LoadReport report = LoadReport.Create(settings, client, server, run, runtime, target.ConnectionsOpened - connectionsBefore);

        if (output.Json)
        {
            output.WriteJson(report);
        }
        else
        {
            Print(output, report);
        }

        return report.Ok ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static Task<LoadRun> RunWithStatusAsync(HarnessOutput output, LoadRunner runner, LoadSettings settings, TimeProvider time, CancellationToken cancellationToken)
        => output.Err.Status().StartAsync("starting", async status =>
        {
            long start = time.GetTimestamp();
            Task<LoadRun> running = runner.RunAsync(settings, cancellationToken);
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken));
                status.Status(Markup.Escape(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{time.GetElapsedTime(start).TotalSeconds:0} s of {settings.Duration.TotalSeconds:0} s · {runner.InFlight:N0} streaming · {runner.Completed:N0} answers · {runner.Failed:N0} failed")));
            }

            return await running;
        });

    private static void Print(HarnessOutput output, LoadReport report)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("server", Markup.Escape(report.Server.Emulator
            ? $"in-process emulator, TTFT {report.Server.TtftMs:0.#} ms, {report.Server.TokensPerSecond:0.#} tokens/s"
            : $"{report.Server.BaseUrl} (TTFT taken as {report.Server.TtftMs:0.#} ms)"));
        grid.AddRow("client", report.Client == "skgroq" ? "Semantic Kernel through the SkGroq pipeline" : "Semantic Kernel with a plain HttpClient (baseline)");
        grid.AddRow("streams", $"{report.Streams:N0} at once for {report.DurationS:0.#} s ({report.ElapsedS:0.0} s with the last answers)");
        grid.AddRow("answers", $"{report.Requests:N0} streamed · {(report.RequestsFailed == 0 ? "0" : $"[red]{report.RequestsFailed:N0}[/]")} failed{Failures(report)} · {report.StreamsCompleted:N0} of {report.Streams:N0} conversations complete");
        grid.AddRow("time to first token", Percentiles(report.TtftMs));
        grid.AddRow("overhead (minus server TTFT)", Percentiles(report.TtftOverheadMs) + Verdict(report.Targets.TtftOverheadMet, $"target p99 ≤ {report.Targets.TtftOverheadP99MsLimit:0} ms"));
        grid.AddRow("first request of a conversation", Percentiles(report.FirstRequestTtftOverheadMs) + " [grey](overhead; may open a connection)[/]");
        grid.AddRow("tokens/s", $"{report.TokensPerSecond:N0} all streams · {report.StreamTokensPerSecondP50:N0} per stream (median)");
        grid.AddRow("CPU", $"{report.CpuMs / 1000:0.00} s · {report.CpuMsPer1000Requests:N0} ms per 1,000 answers [grey](whole process{(report.Server.Emulator ? ", emulator included" : string.Empty)})[/]");
        grid.AddRow("working set", $"{report.Memory.WorkingSetBeforeMb:N0} MB before · {report.Memory.PeakWorkingSetMb:N0} MB peak{Verdict(report.Targets.WorkingSetMet, $"target ≤ {report.Targets.WorkingSetMbLimit:0} MB")} · +{report.Memory.PeakWorkingSetMbPer1000Streams:N0} MB per 1,000 streams");
        grid.AddRow("allocated", $"{report.Memory.AllocatedMb:N0} MB · {report.Memory.AllocatedKbPerRequest:N1} KB per answer");
        grid.AddRow("GC", $"{report.Gc.Gen0} gen0 · {report.Gc.Gen1} gen1 · {report.Gc.Gen2} gen2 · {report.Gc.PauseMs:N0} ms paused");
        grid.AddRow("thread pool", $"{report.ThreadPool.ThreadsMax} threads at most (minimum {report.ThreadPool.MinWorkerThreads}) · queue p99 {report.ThreadPool.QueueLengthP99:N0}, max {report.ThreadPool.QueueLengthMax:N0} · timer lag p99 {report.ThreadPool.TimerLagP99Ms:0.0} ms, max {report.ThreadPool.TimerLagMaxMs:0.0} ms");
        grid.AddRow("connections opened", report.ConnectionsOpened.ToString("N0", CultureInfo.InvariantCulture));
        output.Out.Write(grid);
        output.Out.MarkupLine(report.Ok
            ? $"[green]OK[/]: every conversation got every answer."
            : $"[red]FAILED[/]: {report.RequestsFailed:N0} requests failed. Check that the server's rate limits do not bind and that it is running.");
    }

    private static string Percentiles(LatencyPercentiles? value)
        => value is null ? "n/a" : string.Create(CultureInfo.InvariantCulture, $"p50 {value.P50:0.00} · p95 {value.P95:0.00} · p99 {value.P99:0.00} · max {value.Max:0.00} ms ({value.Count:N0} answers)");

    private static string Verdict(bool? met, string target) => met switch
    {
        true => $" [green]({Markup.Escape(target)}: met)[/]",
        false => $" [red]({Markup.Escape(target)}: missed)[/]",
        null => string.Empty,
    };

    private static string Failures(LoadReport report)
        => report.FailuresByKind.Count == 0 ? string.Empty : " (" + Markup.Escape(string.Join(", ", report.FailuresByKind.Select(p => $"{p.Key}: {p.Value}"))) + ")";
}
