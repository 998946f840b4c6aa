using System.CommandLine;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Http;
using SkGroq.Models;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>test-connection</c>: <c>GET /models</c> twice (cold, then on the pooled connection), model availability, a verdict.</summary>
internal static class TestConnectionCommand
{
    public static Command Create()
    {
        var command = new Command("test-connection", "Connect to the API: connection time, round-trip time, whether the configured model is available.");
        CommandRunner.SetAction(command, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        TimeProvider time = session.Get<TimeProvider>();
        ModelCatalog catalog = session.Get<ModelCatalog>();
        GroqConnectionStats connections = session.Get<GroqConnectionStats>();
        HttpClient client = session.CreateHttpClient();

        long start = time.GetTimestamp();
        IReadOnlyList<RemoteModel> models = await catalog.RefreshAsync(client, cancellationToken);
        TimeSpan firstRequest = time.GetElapsedTime(start);

        // The second request reuses the pooled connection: that is the round trip every later request pays.
        start = time.GetTimestamp();
        await catalog.RefreshAsync(client, cancellationToken);
        TimeSpan roundTrip = time.GetElapsedTime(start);

        string model = session.Options.Model;
        RemoteModel? listed = models.FirstOrDefault(m => m.Id == model);
        catalog.TryGet(model, out ModelInfo? info);
        bool available = listed is { Active: true };
        var result = new
        {
            Ok = available,
            BaseUrl = session.BaseUrl.AbsoluteUri,
            Emulator = session.UsingEmulator,
            ConnectMs = Formatting.Round(connections.LastConnectTime),
            FirstRequestMs = Formatting.Round(firstRequest),
            RoundTripMs = Formatting.Round(roundTrip),
            ConnectionsOpened = connections.ConnectionsOpened,
            Model = model,
            ModelAvailable = available,
            ContextWindow = info?.ContextWindow,
            MaxCompletionTokens = info?.MaxCompletionTokens,
            Models = models.Select(m => m.Id).ToArray(),
        };

        if (context.Output.Json)
        {
            context.Output.WriteJson(result);
        }
        else
        {
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("base url", Markup.Escape(result.BaseUrl) + (session.UsingEmulator ? " [yellow](emulator)[/]" : string.Empty));
            grid.AddRow("connect", Formatting.Milliseconds(connections.LastConnectTime));
            grid.AddRow("first request", Formatting.Milliseconds(firstRequest));
            grid.AddRow("round trip", Formatting.Milliseconds(roundTrip));
            grid.AddRow("connections opened", connections.ConnectionsOpened.ToString(System.Globalization.CultureInfo.InvariantCulture));
            grid.AddRow("models listed", models.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            grid.AddRow("model", Markup.Escape(model) + (available
                ? $" [green]available[/] (context {Formatting.Number(info?.ContextWindow)}, max completion {Formatting.Number(info?.MaxCompletionTokens)})"
                : " [red]not available[/]"));
            context.Output.Out.Write(grid);
            context.Output.Out.MarkupLine(available
                ? $"[green]OK[/]: connected to {Markup.Escape(session.BaseUrl.Host)} and {Markup.Escape(model)} is available."
                : $"[red]FAILED[/]: connected, but {Markup.Escape(model)} is not among the {models.Count} models this key can use. Run 'models' and set Groq:Model or --model.");
        }

        return available ? ExitCodes.Success : ExitCodes.Failure;
    }
}
