using System.CommandLine;
using SkGroq.Caching;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Usage;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>cache stats</c> and <c>cache clear</c>: what the response cache holds and has saved, and a way to empty it.</summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var stats = new Command("stats", "Entries in the response cache, hit rate and tokens saved (from the usage ledger, across runs).");
        CommandRunner.SetAction(stats, StatsAsync, needsServer: false);
        var clear = new Command("clear", "Remove every answer from the response cache (for a shared Redis cache: for every instance).");
        CommandRunner.SetAction(clear, ClearAsync, needsServer: false);
        return new Command("cache", "The response cache: repeated deterministic requests are answered without asking Groq.") { stats, clear };
    }

    private static async Task<int> StatsAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ResponseCacheStatistics cache = context.Session.Get<IResponseCache>().GetStatistics();

        // The memory store lives and dies with each process: this command's own process has just started it empty.
        bool perProcess = cache.Store == "memory";
        long? entries = perProcess ? null : cache.Entries;
        IReadOnlyList<UsageSummary> summaries = await context.Session.Get<IUsageLedger>().SummarizeAsync(UsageGrouping.None, cancellationToken: cancellationToken);
        UsageSummary ledger = summaries.Count > 0 ? summaries[0] : new UsageSummary { Key = "total" };
        double? ledgerHitRate = ledger.Requests == 0 ? null : (double)ledger.CacheHits / ledger.Requests;
        HarnessOutput output = context.Output;
        if (output.Json)
        {
            output.WriteJson(new
            {
                cache.Store,
                Entries = entries,
                Bytes = perProcess ? (long?)null : cache.Bytes,
                HitRate = Round(ledgerHitRate),
                Hits = ledger.CacheHits,
                Requests = ledger.Requests,
                TokensSaved = ledger.TokensSaved,
                Process = new
                {
                    cache.Hits,
                    cache.Misses,
                    cache.Coalesced,
                    cache.StaleServes,
                    cache.Stored,
                    cache.TokensSaved,
                    HitRate = Round(cache.HitRate),
                },
            });
            return ExitCodes.Success;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("store", Markup.Escape(cache.Store) + (perProcess ? " [grey](this process only)[/]" : string.Empty));
        grid.AddRow("entries", perProcess
            ? "[grey]not kept between runs: the memory store belongs to each running process[/]"
            : entries is { } count ? $"{Formatting.Number(count)} · {Formatting.Number(cache.Bytes)} bytes" : "[grey]not counted by a shared store[/]");
        grid.AddRow("hit rate", ledgerHitRate is { } rate
            ? $"{rate.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)} ({Formatting.Number(ledger.CacheHits)} of {Formatting.Number(ledger.Requests)} requests answered from the cache)"
            : "[grey]no requests recorded yet[/]");
        grid.AddRow("tokens saved", Formatting.Number(ledger.TokensSaved));
        output.Out.Write(grid);
        output.Out.MarkupLine("[grey]Hit rate and tokens saved come from the usage ledger (every run that recorded usage). The memory store lives and dies with each process; "
            + "set Groq:Cache:Store to Distributed (Redis) to share answers between processes.[/]");
        return ExitCodes.Success;
    }

    private static async Task<int> ClearAsync(CommandContext context, CancellationToken cancellationToken)
    {
        IResponseCache cache = context.Session.Get<IResponseCache>();
        string store = cache.GetStatistics().Store;
        long? removed = await cache.ClearAsync(cancellationToken);
        if (context.Output.Json)
        {
            context.Output.WriteJson(new { Store = store, Cleared = true, Removed = removed });
            return ExitCodes.Success;
        }

        context.Output.Out.MarkupLine(removed is { } count
            ? $"Removed {Formatting.Number(count)} entries from the {Markup.Escape(store)} response cache."
            : $"Cleared the {Markup.Escape(store)} response cache: every instance sharing it stops serving the old answers.");
        if (store == "memory")
        {
            context.Output.Out.MarkupLine("[grey]The memory store belongs to each process: a running application keeps its own until it restarts.[/]");
        }

        return ExitCodes.Success;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
