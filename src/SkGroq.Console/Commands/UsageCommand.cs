using System.CommandLine;
using System.Globalization;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Usage;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>usage</c>: the usage ledger (SQLite, survives restarts) grouped by model, day, conversation or tenant.</summary>
internal static class UsageCommand
{
    private static readonly Option<string?> s_since = new("--since") { Description = "Only requests since a date (2026-11-01, 2026-11-01T08:00Z) or a span back from now (24h, 7d, 90m)." };
    private static readonly Option<string> s_by = new("--by")
    {
        Description = "Group by model, day, conversation, tenant or none.",
        DefaultValueFactory = _ => "model",
    };

    public static Command Create()
    {
        s_by.AcceptOnlyFromAmong("model", "day", "conversation", "tenant", "none");
        var command = new Command("usage", "Requests, tokens, cost and time to first token from the usage ledger.") { s_since, s_by };
        CommandRunner.SetAction(command, RunAsync, needsServer: false, validate: parse => ParseSince(parse.GetValue(s_since), TimeProvider.System));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        TimeProvider time = context.Session.Get<TimeProvider>();
        DateTimeOffset? since = ParseSince(context.Get(s_since), time);
        string by = context.Get(s_by)!;
        UsageGrouping grouping = Enum.Parse<UsageGrouping>(by, ignoreCase: true);
        IUsageLedger ledger = context.Session.Get<IUsageLedger>();
        IReadOnlyList<UsageSummary> groups = await ledger.SummarizeAsync(grouping, since, null, cancellationToken);
        IReadOnlyList<UsageSummary> all = await ledger.SummarizeAsync(UsageGrouping.None, since, null, cancellationToken);
        UsageSummary totals = all.Count > 0 ? all[0] : new UsageSummary { Key = "total" };

        if (context.Output.Json)
        {
            context.Output.WriteJson(new
            {
                Since = since,
                By = by,
                Groups = groups.Select(Row),
                Totals = Row(totals),
            });
            return ExitCodes.Success;
        }

        if (totals.Requests == 0)
        {
            context.Output.Out.MarkupLine($"[grey]No requests recorded{(since is null ? string.Empty : " since " + since.Value.ToString("u", CultureInfo.InvariantCulture))}. Usage is recorded by every command that talks to Groq (or the emulator).[/]");
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns(by, "requests", "ok", "failed", "prompt", "completion", "total", "cache hits", "saved", "cost", "TTFT p50", "TTFT p95");
        foreach (UsageSummary group in groups.Append(totals with { Key = "total" }))
        {
            table.AddRow(
                Markup.Escape(group.Key),
                Formatting.Number(group.Requests),
                Formatting.Number(group.Succeeded),
                Formatting.Number(group.Failed + group.Incomplete + group.Cancelled),
                Formatting.Number(group.PromptTokens),
                Formatting.Number(group.CompletionTokens),
                Formatting.Number(group.TotalTokens),
                Formatting.Number(group.CacheHits),
                Formatting.Number(group.TokensSaved),
                group.Cost is null ? $"unknown ({Formatting.Money(group.KnownCost)} known)" : Formatting.Money(group.Cost),
                Formatting.Milliseconds(group.TimeToFirstTokenP50),
                Formatting.Milliseconds(group.TimeToFirstTokenP95));
        }

        context.Output.Out.Write(table);
        return ExitCodes.Success;
    }

    private static object Row(UsageSummary s) => new
    {
        s.Key,
        s.Requests,
        s.Succeeded,
        s.Failed,
        s.Cancelled,
        s.Incomplete,
        s.PromptTokens,
        s.CompletionTokens,
        s.TotalTokens,
        s.CacheHits,
        s.TokensSaved,
        s.Cost,
        s.KnownCost,
        s.UnknownCostRequests,
        TtftP50Ms = Formatting.Round(s.TimeToFirstTokenP50),
        TtftP95Ms = Formatting.Round(s.TimeToFirstTokenP95),
    };

    internal static DateTimeOffset? ParseSince(string? text, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string value = text.Trim();
        if (value.Length > 1 && long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            TimeSpan? span = value[^1] switch
            {
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                'd' => TimeSpan.FromDays(amount),
                _ => null,
            };
            if (span is { } s)
            {
                return time.GetUtcNow() - s;
            }
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : throw new HarnessUsageException($"--since '{text}' is neither a date (2026-11-01) nor a span (24h, 7d, 90m).");
    }
}
