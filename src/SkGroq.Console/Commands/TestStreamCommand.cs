using System.CommandLine;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.Streaming;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>test-stream</c>: streams an answer token by token through Semantic Kernel and the pipeline, then reports TTFT, tokens/s and usage.</summary>
internal static class TestStreamCommand
{
    private static readonly Option<string> s_prompt = new("--prompt", "-p") { Description = "The user message.", DefaultValueFactory = _ => "Hello, how are you?" };
    private static readonly Option<string?> s_system = new("--system") { Description = "A system message." };
    private static readonly Option<int?> s_maxTokens = new("--max-tokens") { Description = "The most tokens to generate." };
    private static readonly Option<double?> s_temperature = new("--temperature") { Description = "Sampling temperature, 0–2 (0 makes the request cacheable)." };

    public static Command Create()
    {
        var command = new Command("test-stream", "Stream an answer token by token; report time to first token, tokens/s and usage as Groq reported it.")
        {
            s_prompt,
            s_system,
            s_maxTokens,
            s_temperature,
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
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string prompt = context.Get(s_prompt)!;
        HarnessSession session = context.Session;
        var history = new ChatHistory();
        if (context.Get(s_system) is { Length: > 0 } system)
        {
            history.AddSystemMessage(system);
        }

        history.AddUserMessage(prompt);
        var settings = new OpenAIPromptExecutionSettings
        {
            ModelId = session.Options.Model,
            MaxTokens = context.Get(s_maxTokens),
            Temperature = context.Get(s_temperature),
        };

        HarnessOutput output = context.Output;
        if (!output.Json)
        {
            output.Out.MarkupLine($"[grey]{Markup.Escape(session.Options.Model)} · {Markup.Escape(session.BaseUrl.Host)}{(session.UsingEmulator ? " (emulator)" : string.Empty)}[/]");
        }

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
        {
            Feature = "test-stream",
            Status = new Progress<GroqRequestStatus>(s => output.Status(s.Message)),
        });
        StreamingChatResult result = await session.Get<IChatCompletionService>().StreamAsync(
            history,
            output.WriteText,
            settings,
            timeProvider: session.Get<TimeProvider>(),
            cancellationToken: cancellationToken);

        string? requestId = result.Record?.RequestId;
        if (output.Json)
        {
            output.WriteJson(new
            {
                Model = result.Model ?? session.Options.Model,
                Text = result.Text,
                TtftMs = Formatting.Round(result.TimeToFirstToken),
                TokensPerSecond = Formatting.Round(result.TokensPerSecond),
                Usage = result.Usage is { } u ? new { PromptTokens = u.PromptTokens, CompletionTokens = u.CompletionTokens, TotalTokens = u.TotalTokens } : null,
                RequestId = requestId,
                Emulator = session.UsingEmulator,
            });
        }
        else
        {
            output.Out.WriteLine();
            output.Out.WriteLine();
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("time to first token", Formatting.Milliseconds(result.TimeToFirstToken));
            grid.AddRow("tokens/s", Formatting.Rate(result.TokensPerSecond));
            grid.AddRow("usage", result.Usage is { } u
                ? $"prompt {u.PromptTokens} · completion {u.CompletionTokens} · total {u.TotalTokens} (reported by the server)"
                : "[yellow]not reported by the server[/]");
            grid.AddRow("request id", Markup.Escape(requestId ?? "n/a"));
            output.Out.Write(grid);
        }

        return result.Text.Length > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
