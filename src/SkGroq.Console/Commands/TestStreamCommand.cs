using System.CommandLine;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.SemanticKernel;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>test-stream</c>: streams an answer token by token through Semantic Kernel and the pipeline, then reports TTFT, tokens/s, usage and whether the cache answered.</summary>
internal static class TestStreamCommand
{
    private const int MaxRepeat = 1_000;

    private static readonly Option<string> s_prompt = new("--prompt", "-p") { Description = "The user message.", DefaultValueFactory = _ => "Hello, how are you?" };
    private static readonly Option<string?> s_system = new("--system") { Description = "A system message." };
    private static readonly Option<int?> s_maxTokens = new("--max-tokens") { Description = "The most tokens to generate." };
    private static readonly Option<double?> s_temperature = new("--temperature") { Description = "Sampling temperature, 0–2 (0 makes the request cacheable)." };

    private static readonly Option<int?> s_repeat = new("--repeat")
    {
        Description = "Send the same request N times in this process and report each run (JSON: {\"runs\":[…]}). The repeated request opts in to the "
            + "response cache whatever the temperature, so runs after the first show the cache at work (\"cached\": true); add --no-cache to ask Groq every time.",
    };

    private static readonly Option<bool> s_noCache = new("--no-cache") { Description = "Neither read nor write the response cache for this request." };

    public static Command Create()
    {
        var command = new Command("test-stream", "Stream an answer token by token; report time to first token, tokens/s, usage as Groq reported it, and whether the response cache answered.")
        {
            s_prompt,
            s_system,
            s_maxTokens,
            s_temperature,
            s_repeat,
            s_noCache,
        };
        CommandRunner.SetAction(command, RunAsync, validate: Validate);
        return command;
    }

    private static void Validate(ParseResult parse)
    {
        if (string.IsNullOrWhiteSpace(parse.GetValue(s_prompt)))
        {
            throw new HarnessUsageException("--prompt is empty. Give the question to ask, e.g. --prompt \"Hello, how are you?\".");
        }

        if (parse.GetValue(s_maxTokens) is < 1)
        {
            throw new HarnessUsageException("--max-tokens must be at least 1.");
        }

        if (parse.GetValue(s_temperature) is < 0 or > 2)
        {
            throw new HarnessUsageException("--temperature must be between 0 and 2.");
        }

        if (parse.GetValue(s_repeat) is < 1 or > MaxRepeat)
        {
            throw new HarnessUsageException($"--repeat must be between 1 and {MaxRepeat}.");
        }
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        HarnessOutput output = context.Output;
        int? repeat = context.Get(s_repeat);
        GroqCacheMode cache = context.Get(s_noCache) ? GroqCacheMode.Disabled : repeat is not null ? GroqCacheMode.Enabled : GroqCacheMode.Default;
        if (!output.Json)
        {
            output.Out.MarkupLine($"[grey]{Markup.Escape(session.Options.Model)} · {Markup.Escape(session.BaseUrl.Host)}{(session.UsingEmulator ? " (emulator)" : string.Empty)}[/]");
        }

        var runs = new List<StreamingChatResult>();
        var statuses = new List<StatusLines>();
        for (int run = 1; run <= (repeat ?? 1); run++)
        {
            if (repeat is not null && !output.Json)
            {
                output.Out.MarkupLine($"{(run > 1 ? "\n" : string.Empty)}[grey]run {run}/{repeat}[/]");
            }

            var status = new StatusLines(output);
            statuses.Add(status);
            runs.Add(await RunOnceAsync(context, cache, status, cancellationToken));
        }

        if (output.Json)
        {
            output.WriteJson(repeat is null ? Json(runs[0], session, statuses[0]) : new { Runs = runs.Select((r, i) => Json(r, session, statuses[i])) });
        }
        else if (repeat is null)
        {
            WriteRun(output, runs[0], session, statuses[0]);
        }
        else
        {
            WriteRuns(output, runs);
        }

        return runs.All(r => r.Text.Length > 0) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task<StreamingChatResult> RunOnceAsync(CommandContext context, GroqCacheMode cache, StatusLines status, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        HarnessOutput output = context.Output;
        var history = new ChatHistory();
        if (context.Get(s_system) is { Length: > 0 } system)
        {
            history.AddSystemMessage(system);
        }

        history.AddUserMessage(context.Get(s_prompt)!);
        var settings = new OpenAIPromptExecutionSettings
        {
            ModelId = session.Options.Model,
            MaxTokens = context.Get(s_maxTokens),
            Temperature = context.Get(s_temperature),
        };

        // Reported synchronously: a fallback is known before its stream starts, so the summary can rely on it.
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
        {
            Feature = "test-stream",
            Cache = cache,
            Status = status,
        });
        return await session.Get<IChatCompletionService>().StreamAsync(
            history,
            output.WriteText,
            settings,
            timeProvider: session.Get<TimeProvider>(),
            cancellationToken: cancellationToken);
    }

    private static object Json(StreamingChatResult result, HarnessSession session, StatusLines status) => new
    {
        Model = result.Model ?? session.Options.Model,
        ModelRequested = session.Options.Model,
        FallbackFrom = FallbackFrom(result, session),
        FallbackReason = FallbackFrom(result, session) is null ? null : FallbackReason(result, status),
        Text = result.Text,
        TtftMs = Formatting.Round(result.TimeToFirstToken),
        // A replay's speed is not Groq's generation speed.
        TokensPerSecond = result.Record?.CacheHit == true ? null : Formatting.Round(result.TokensPerSecond),
        Usage = result.Usage is { } u ? new { PromptTokens = u.PromptTokens, CompletionTokens = u.CompletionTokens, TotalTokens = u.TotalTokens } : null,
        RequestId = result.Record?.RequestId,
        Emulator = session.UsingEmulator,
        Cached = result.Record?.CacheHit ?? false,
    };

    private static void WriteRun(HarnessOutput output, StreamingChatResult result, HarnessSession session, StatusLines status)
    {
        output.Out.WriteLine();
        output.Out.WriteLine();
        var grid = new Grid().AddColumn().AddColumn();
        string answered = result.Model ?? session.Options.Model;
        grid.AddRow("model", FallbackFrom(result, session) is { } requested
            ? $"[yellow]{Markup.Escape($"{requested} unavailable ({FallbackReason(result, status) ?? "failed"}); answered by {answered}")}[/]"
            : Markup.Escape(answered));
        grid.AddRow("time to first token", Formatting.Milliseconds(result.TimeToFirstToken));
        grid.AddRow("tokens/s", TokensPerSecond(result));
        grid.AddRow("usage", result.Usage is { } u
            ? $"prompt {u.PromptTokens} · completion {u.CompletionTokens} · total {u.TotalTokens} (reported by the server)"
            : "[yellow]not reported by the server[/]");
        grid.AddRow("request id", Markup.Escape(result.Record?.RequestId ?? "n/a"));
        grid.AddRow("cache", CacheText(result));
        output.Out.Write(grid);
    }

    private static void WriteRuns(HarnessOutput output, List<StreamingChatResult> runs)
    {
        output.Out.WriteLine();
        output.Out.WriteLine();
        var table = new Table().Border(TableBorder.Rounded).AddColumns("run", "cache", "time to first token", "tokens/s", "total tokens", "request id");
        for (int i = 0; i < runs.Count; i++)
        {
            StreamingChatResult run = runs[i];
            table.AddRow(
                (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                CacheText(run),
                Formatting.Milliseconds(run.TimeToFirstToken),
                TokensPerSecond(run),
                Formatting.Number(run.Usage?.TotalTokens),
                Markup.Escape(run.Record?.RequestId ?? "n/a"));
        }

        output.Out.Write(table);
        long saved = runs.Sum(r => r.Record?.TokensSaved ?? 0);
        output.Out.MarkupLine($"[grey]{runs.Count(r => r.Record?.CacheHit == true)} of {runs.Count} runs answered from the response cache; {Formatting.Number(saved)} tokens saved.[/]");
    }

    /// <summary>Gets the model asked for when another one answered (the model fallback), else <see langword="null"/>.</summary>
    private static string? FallbackFrom(StreamingChatResult result, HarnessSession session)
        => result.Model is { } answered && answered != session.Options.Model ? session.Options.Model : null;

    /// <summary>Gets why the model asked for did not answer, e.g. <c>503 over capacity</c>.</summary>
    private static string? FallbackReason(StreamingChatResult result, StatusLines status) => result.Record?.FallbackReason ?? status.FallbackReason;

    private static string TokensPerSecond(StreamingChatResult result)
        => result.Record?.CacheHit == true ? "n/a (replayed from the cache)" : Formatting.Rate(result.TokensPerSecond);

    private static string CacheText(StreamingChatResult result) => result.Record switch
    {
        { Stale: true } => "[yellow]stale (Groq unavailable; served from the cache)[/]",
        { CacheHit: true } => "[green]hit[/] (answered from the response cache, 0 tokens billed)",
        _ => "miss",
    };
}
