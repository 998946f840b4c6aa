using System.CommandLine;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Console.Stress;
using SkGroq.Models;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>stress rate-limit</c>: many requests at once through the limiter; reports failures, server 429s, retries, queue waits and tokens/minute.</summary>
internal static class StressCommand
{
    private static readonly Option<int> s_requests = new("--requests", "-n") { Description = "How many requests to send.", DefaultValueFactory = _ => 200 };
    private static readonly Option<int> s_concurrency = new("--concurrency", "-c") { Description = "How many requests are in flight (or queued) at once.", DefaultValueFactory = _ => 50 };
    private static readonly Option<int> s_maxTokens = new("--max-tokens") { Description = "The largest max_tokens of a request; each asks for between half of it and all of it.", DefaultValueFactory = _ => 200 };
    private static readonly Option<int> s_promptWords = new("--prompt-words") { Description = "The longest prompt in words; each prompt has between a tenth of it and all of it.", DefaultValueFactory = _ => 150 };
    private static readonly Option<int> s_timeout = new("--timeout") { Description = "Each request's deadline in seconds, queueing included (a run over the limits queues for minutes).", DefaultValueFactory = _ => 900 };
    private static readonly Option<int> s_seed = new("--seed") { Description = "The seed of the request mix.", DefaultValueFactory = _ => 1 };

    public static Command Create()
    {
        var rateLimit = new Command("rate-limit", "Fire many chat completions at once (by default at the built-in emulator's free-plan limits) and check that the limiter keeps them all within Groq's limits: no caller-visible rate-limit errors.")
        {
            s_requests,
            s_concurrency,
            s_maxTokens,
            s_promptWords,
            s_timeout,
            s_seed,
        };
        CommandRunner.SetAction(rateLimit, RunRateLimitAsync, validate: parse =>
        {
            foreach ((Option<int> option, int value) in new[] { (s_requests, parse.GetValue(s_requests)), (s_concurrency, parse.GetValue(s_concurrency)), (s_maxTokens, parse.GetValue(s_maxTokens)), (s_promptWords, parse.GetValue(s_promptWords)), (s_timeout, parse.GetValue(s_timeout)) })
            {
                if (value <= 0)
                {
                    throw new HarnessUsageException($"{option.Name} must be a positive number (got {value}).");
                }
            }
        });

        return new Command("stress", "Load tests of the pipeline.") { rateLimit };
    }

    private static async Task<int> RunRateLimitAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        HarnessOutput output = context.Output;
        string model = session.Options.Model;
        var settings = new RateLimitStressSettings(
            context.Get(s_requests),
            context.Get(s_concurrency),
            model,
            context.Get(s_maxTokens),
            context.Get(s_promptWords),
            TimeSpan.FromSeconds(context.Get(s_timeout)),
            context.Get(s_seed));
        ModelLimits limits = session.Get<ModelCatalog>().GetLimits(model);

        RateLimitStressReport report;
        if (output.Json)
        {
            report = await new RateLimitStressRunner(session.Get<IChatCompletionService>(), session.Get<TimeProvider>(), session.Services.GetService(typeof(IMeterFactory)))
                .RunAsync(settings, limits.TokensPerMinute, cancellationToken);
            output.WriteJson(report);
        }
        else
        {
            output.Out.MarkupLine($"[grey]{settings.Requests} requests, {settings.Concurrency} at once, to {Markup.Escape(model)}{(session.UsingEmulator ? " (emulator)" : string.Empty)}; limits {Limit(limits.RequestsPerMinute)} RPM, {Limit(limits.TokensPerMinute)} TPM.[/]");
            if (ExpectedDuration(settings.Requests, limits.RequestsPerMinute) is { } expected)
            {
                output.Out.MarkupLine($"[grey]{Markup.Escape(expected)}[/]");
            }

            report = await output.Err.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    ProgressTask task = progress.AddTask("starting", maxValue: settings.Requests);
                    var runner = new RateLimitStressRunner(session.Get<IChatCompletionService>(), session.Get<TimeProvider>(), session.Services.GetService(typeof(IMeterFactory)))
                    {
                        Progress = new InlineProgress(p =>
                        {
                            task.Value = p.Completed;
                            task.Description = Markup.Escape($"{p.Completed}/{p.Total} done, {p.Failed} failed{(p.Status is null ? string.Empty : " · " + p.Status)}");
                        }),
                    };
                    return await runner.RunAsync(settings, limits.TokensPerMinute, cancellationToken);
                });
            Print(output, report);
        }

        return report.Failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void Print(HarnessOutput output, RateLimitStressReport report)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("succeeded", $"{report.Succeeded} of {report.Requests}");
        grid.AddRow("failed", report.Failed == 0 ? "0" : $"[red]{report.Failed}[/] ({Markup.Escape(string.Join(", ", report.FailuresByKind.Select(p => $"{p.Key}: {p.Value}")))})");
        grid.AddRow("server 429s", $"{report.Server429s} ({Percent(report.Server429s, report.Requests)} of requests)");
        grid.AddRow("retries", report.Retries.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("fallbacks", $"{report.Fallbacks} (answered by another model)");
        grid.AddRow("cache hits", report.CacheHits.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("queue wait p50 / p95 / p99", $"{report.QueueWaitMs.P50:0} / {report.QueueWaitMs.P95:0} / {report.QueueWaitMs.P99:0} ms");
        grid.AddRow("tokens", Formatting.Number(report.Tokens));
        grid.AddRow("elapsed", $"{report.ElapsedSeconds:0.0} s");
        grid.AddRow("tokens/minute", $"{report.TokensPerMinute:0} overall, {report.SustainedTokensPerMinute:0} beyond the first full bucket (limit {Limit(report.TpmLimit)})");
        output.Out.Write(grid);
        output.Out.MarkupLine(report.Failed == 0
            ? $"[green]OK[/]: every request succeeded; the server answered 429 {report.Server429s} times."
            : $"[red]FAILED[/]: {Formatting.Count(report.Failed, "request", "requests")} failed. A rate_limit_timeout means a request's deadline was too short for the queue: raise --timeout or lower --requests.");
    }

    /// <summary>
    /// What a run over the requests/minute limit costs in time: the first minute's requests go at once, then one every
    /// 60/RPM seconds, so the queue (not a failure) holds the run to at least that long.
    /// </summary>
    /// <param name="requests">The requests of the run.</param>
    /// <param name="requestsPerMinute">The model's requests/minute limit, when known.</param>
    /// <returns>A line saying how long at least and how to run shorter; <see langword="null"/> when the limit does not bind.</returns>
    internal static string? ExpectedDuration(int requests, long? requestsPerMinute)
    {
        if (requestsPerMinute is not { } rpm || rpm <= 0 || requests <= rpm)
        {
            return null;
        }

        TimeSpan floor = TimeSpan.FromMinutes((double)(requests - rpm) / rpm);
        string length = floor < TimeSpan.FromMinutes(2)
            ? $"{floor.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s"
            : $"{floor.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture)} minutes";
        return $"At {rpm.ToString("N0", CultureInfo.InvariantCulture)} requests/minute the queue holds this run to at least {length} (requests wait, none fail); fewer --requests make it shorter.";
    }

    private static string Limit(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "unknown";

    private static string Percent(long part, int whole) => whole == 0 ? "0%" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Reports synchronously, on the reporting thread (<see cref="Progress{T}"/> would post to a context the console does not have).</summary>
    private sealed class InlineProgress(Action<RateLimitStressProgress> report) : IProgress<RateLimitStressProgress>
    {
        public void Report(RateLimitStressProgress value) => report(value);
    }
}
