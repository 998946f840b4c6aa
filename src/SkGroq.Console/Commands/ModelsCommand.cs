using System.CommandLine;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Models;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>models</c>: the model table — the catalog refreshed from <c>GET /models</c> (or the catalog alone with <c>--offline</c>).</summary>
internal static class ModelsCommand
{
    private static readonly Option<bool> s_offline = new("--offline") { Description = "Show the built-in catalog without asking the server." };

    public static Command Create()
    {
        var command = new Command("models", "The model table: context window, max completion tokens, rate limits of your plan, prices.") { s_offline };
        CommandRunner.SetAction(command, RunAsync, needsServer: static parse => !parse.GetValue(s_offline));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ModelCatalog catalog = context.Session.Get<ModelCatalog>();
        HashSet<string>? served = null;
        if (!context.Get(s_offline))
        {
            IReadOnlyList<RemoteModel> remote = await catalog.RefreshAsync(context.Session.CreateHttpClient(), cancellationToken);
            served = remote.Where(m => m.Active).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        }

        List<ModelInfo> models = [.. catalog.Models.OrderBy(m => m.Id, StringComparer.Ordinal)];
        if (context.Output.Json)
        {
            context.Output.WriteJson(new
            {
                Tier = catalog.Tier.ToString().ToLowerInvariant(),
                Source = served is null ? "catalog" : "catalog+server",
                Models = models.Select(m => new
                {
                    m.Id,
                    m.OwnedBy,
                    Served = served?.Contains(m.Id),
                    m.Decommissioned,
                    m.ContextWindow,
                    m.MaxCompletionTokens,
                    Limits = Limits(m.LimitsFor(catalog.Tier)),
                    Pricing = m.Pricing is { } p ? new { p.InputPerMillion, p.OutputPerMillion, p.CachedInputPerMillion } : null,
                }),
            });
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("model", "status", "context", "max out", "RPM", "RPD", "TPM", "TPD", "$/M in", "$/M out");
        foreach (ModelInfo m in models)
        {
            string status = m.Decommissioned ? "[red]retired[/]" : served is null ? "[grey]?[/]" : served.Contains(m.Id) ? "[green]served[/]" : "[grey]not listed[/]";
            ModelLimits l = m.LimitsFor(catalog.Tier);
            table.AddRow(
                Markup.Escape(m.Id),
                status,
                Formatting.Number(m.ContextWindow),
                Formatting.Number(m.MaxCompletionTokens),
                Formatting.Number(l.RequestsPerMinute),
                Formatting.Number(l.RequestsPerDay),
                Formatting.Number(l.TokensPerMinute),
                Formatting.Number(l.TokensPerDay),
                Formatting.PerMillion(m.Pricing?.InputPerMillion),
                Formatting.PerMillion(m.Pricing?.OutputPerMillion));
        }

        context.Output.Out.Write(table);
        context.Output.Out.MarkupLine($"[grey]Limits: {catalog.Tier} plan defaults (live x-ratelimit-* headers win). Prices: USD per million tokens, 'unknown' when the catalog has none.[/]");
        return ExitCodes.Success;
    }

    private static object Limits(ModelLimits l) => new
    {
        l.RequestsPerMinute,
        l.RequestsPerDay,
        l.TokensPerMinute,
        l.TokensPerDay,
    };
}
