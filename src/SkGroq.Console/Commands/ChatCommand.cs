using System.CommandLine;
using System.Globalization;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.Streaming;
using SkGroq.Usage;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>chat</c>: an interactive multi-turn conversation, streamed, keeping context across turns.</summary>
internal static class ChatCommand
{
    private static readonly Option<string?> s_system = new("--system") { Description = "The system message of the conversation." };
    private static readonly Option<int?> s_maxTokens = new("--max-tokens") { Description = "The most tokens per answer." };

    public static Command Create()
    {
        var command = new Command("chat", "Interactive chat that keeps the conversation. Commands: /reset, /usage, /exit.") { s_system, s_maxTokens };
        CommandRunner.SetAction(command, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        HarnessOutput output = context.Output;
        string? system = context.Get(s_system);
        var history = NewHistory(system);
        var settings = new OpenAIPromptExecutionSettings { ModelId = session.Options.Model, MaxTokens = context.Get(s_maxTokens) };
        string conversationId = "chat-" + Guid.NewGuid().ToString("N")[..12];
        var chat = session.Get<IChatCompletionService>();
        var time = session.Get<TimeProvider>();

        using GroqRequestScope conversation = GroqRequestContext.Begin(new GroqRequestOptions
        {
            ConversationId = conversationId,
            Feature = "chat",
            Status = new Progress<GroqRequestStatus>(s => output.Status(s.Message)),
        });
        output.Out.MarkupLine($"[grey]Chatting with {Markup.Escape(session.Options.Model)}{(session.UsingEmulator ? " (emulator)" : string.Empty)}. /reset starts over, /usage shows tokens, /exit quits.[/]");

        while (!cancellationToken.IsCancellationRequested)
        {
            output.Out.Markup("[bold blue]you>[/] ");
            string? line = await System.Console.In.ReadLineAsync(cancellationToken);
            if (line is null || line.Trim() is "/exit" or "/quit")
            {
                break;
            }

            string input = line.Trim();
            if (input.Length == 0)
            {
                continue;
            }

            if (input == "/reset")
            {
                history = NewHistory(system);
                output.Out.MarkupLine("[grey]Conversation reset.[/]");
                continue;
            }

            if (input == "/usage")
            {
                WriteUsage(output, conversation.Records);
                continue;
            }

            if (input.StartsWith('/'))
            {
                output.Out.MarkupLine("[yellow]Unknown command. Use /reset, /usage or /exit.[/]");
                continue;
            }

            history.AddUserMessage(input);
            output.Out.Markup("[bold green]groq>[/] ");
            try
            {
                StreamingChatResult answer = await chat.StreamAsync(history, output.WriteText, settings, timeProvider: time, cancellationToken: cancellationToken);
                history.AddAssistantMessage(answer.Text);
                output.Out.WriteLine();
            }
            catch (Errors.GroqException ex)
            {
                // The turn failed; the conversation survives without the unanswered question.
                history.RemoveAt(history.Count - 1);
                output.Out.WriteLine();
                output.Failure(ex);
            }
        }

        return ExitCodes.Success;
    }

    private static ChatHistory NewHistory(string? system)
    {
        var history = new ChatHistory();
        if (!string.IsNullOrWhiteSpace(system))
        {
            history.AddSystemMessage(system);
        }

        return history;
    }

    private static void WriteUsage(HarnessOutput output, IReadOnlyList<UsageRecord> records)
    {
        long prompt = records.Sum(r => r.BilledPromptTokens);
        long completion = records.Sum(r => r.BilledCompletionTokens);
        decimal? cost = records.Any(r => r.Cost is null && !r.CacheHit) ? null : records.Sum(r => r.Cost ?? 0);
        output.Out.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[grey]{records.Count} requests · prompt {prompt} · completion {completion} · total {prompt + completion} tokens · cost {Formatting.Money(cost)}[/]"));
    }
}
