using System.CommandLine;
using System.Globalization;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.Conversations;
using SkGroq.Errors;
using SkGroq.Usage;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary>
/// <c>chat</c>: an interactive multi-turn conversation, streamed, its history kept within the model's token budget. Under
/// <c>--json</c> it reads one message per line and writes one JSON object per turn (JSON Lines), with no prompts or banners.
/// </summary>
internal static class ChatCommand
{
    private static readonly Option<string?> s_system = new("--system") { Description = "The system message of the conversation." };
    private static readonly Option<int?> s_maxTokens = new("--max-tokens") { Description = "The most tokens per answer." };

    public static Command Create()
    {
        var command = new Command("chat", "Interactive chat that keeps the conversation. Commands: /history, /tokens, /usage, /reset, /exit. With --json: one message per input line, one JSON object per turn on stdout.") { s_system, s_maxTokens };
        CommandRunner.SetAction(command, RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        HarnessSession session = context.Session;
        HarnessOutput output = context.Output;
        GroqConversation conversation = session.Get<GroqConversationFactory>().Create(context.Get(s_system));
        var settings = new OpenAIPromptExecutionSettings { MaxTokens = context.Get(s_maxTokens) };

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
        {
            Feature = "chat",
            Status = new Progress<GroqRequestStatus>(s => output.Status(s.Message)),
        });
        bool json = output.Json;
        int turns = 0;
        if (!json)
        {
            output.Out.MarkupLine($"[grey]Chatting with {Markup.Escape(conversation.Model)}{(session.UsingEmulator ? " (emulator)" : string.Empty)} · conversation {conversation.Id}. /history, /tokens, /usage, /reset, /exit.[/]");
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            if (!json)
            {
                output.Out.Markup("[bold blue]you>[/] ");
            }

            string? line = await HarnessEnvironment.Current.In.ReadLineAsync(cancellationToken);
            string input = line?.Trim() ?? "/exit";
            switch (input)
            {
                case "":
                    continue;
                case "/exit" or "/quit":
                    return ExitCodes.Success;
                case "/reset":
                    conversation.Reset();
                    Say(output, "Conversation reset.", new { Reset = true });
                    continue;
                case "/usage":
                    WriteUsage(output, conversation.Usage);
                    continue;
                case "/tokens":
                    WriteBudget(output, conversation.GetBudget(settings.MaxTokens));
                    continue;
                case "/history":
                    WriteHistory(output, conversation.History);
                    continue;
                case ['/', ..]:
                    Say(output, "Unknown command. Use /history, /tokens, /usage, /reset or /exit.", new { Error = new { Code = "usage", Message = $"Unknown command {input}. Use /history, /tokens, /usage, /reset or /exit." } });
                    continue;
            }

            if (!json)
            {
                output.Out.Markup("[bold green]groq>[/] ");
            }

            try
            {
                ConversationTurn turn = await conversation.SendAsync(input, output.WriteText, settings, cancellationToken: cancellationToken);
                turns++;
                if (json)
                {
                    output.WriteJson(new
                    {
                        Turn = turns,
                        Model = turn.Result.Model ?? conversation.Model,
                        turn.Text,
                        TtftMs = turn.Result.TimeToFirstToken?.TotalMilliseconds,
                        Usage = new { turn.Usage.Requests, turn.Usage.PromptTokens, turn.Usage.CompletionTokens, turn.Usage.TotalTokens, turn.Usage.CacheHits, turn.Usage.Cost },
                        turn.DroppedMessages,
                        turn.Summarized,
                    });
                    continue;
                }

                output.Out.WriteLine();
                if (turn.DroppedMessages > 0)
                {
                    output.Status($"(history trimmed to fit the model: {turn.DroppedMessages} older messages {(turn.Summarized ? "summarized" : "dropped")})");
                }
            }
            catch (GroqException ex)
            {
                // The turn failed; the conversation goes on without the unanswered question.
                if (!json)
                {
                    output.Out.WriteLine();
                }

                output.Failure(ex);
            }
        }

        return ExitCodes.Success;
    }

    private static void Say(HarnessOutput output, string text, object json)
    {
        if (output.Json)
        {
            output.WriteJson(json);
        }
        else
        {
            output.Out.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
        }
    }

    private static void WriteUsage(HarnessOutput output, UsageTotals usage)
        => Say(output, string.Create(
            CultureInfo.InvariantCulture,
            $"{Formatting.Count(usage.Requests, "request", "requests")} · prompt {usage.PromptTokens} · completion {usage.CompletionTokens} · total {usage.TotalTokens} tokens · cache hits {usage.CacheHits} · cost {Formatting.Money(usage.Cost)}"),
            new { Usage = new { usage.Requests, usage.PromptTokens, usage.CompletionTokens, usage.TotalTokens, usage.CacheHits, usage.Cost } });

    private static void WriteBudget(HarnessOutput output, ConversationBudget budget)
        => Say(output, string.Create(
            CultureInfo.InvariantCulture,
            $"history {budget.HistoryTokens} of {budget.BudgetTokens} tokens (context {budget.ContextWindow} − max completion {budget.MaxCompletionTokens} − margin {budget.SafetyMarginTokens}) · {budget.Vocabulary}{(budget.Exact ? string.Empty : ", estimated")}"),
            new { Budget = budget });

    private static void WriteHistory(HarnessOutput output, ChatHistory history)
    {
        if (output.Json)
        {
            output.WriteJson(new { History = history.Select(static m => new { Role = m.Role.Label, Text = Describe(m) }) });
            return;
        }

        if (history.Count == 0)
        {
            output.Out.MarkupLine("[grey](empty)[/]");
        }

        foreach (ChatMessageContent message in history)
        {
            string text = Describe(message);
            output.Out.MarkupLine($"[bold]{Markup.Escape(message.Role.Label)}[/]: {Markup.Escape(text.Length > 200 ? text[..200] + "…" : text)}");
        }
    }

    private static string Describe(ChatMessageContent message)
        => message.Content ?? string.Join(" ", message.Items.OfType<FunctionCallContent>().Select(c => $"call {c.FunctionName}"));
}
