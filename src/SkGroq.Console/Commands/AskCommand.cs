using System.CommandLine;
using Microsoft.SemanticKernel;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.KnowledgeBase;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary><c>ask --kb folder "question"</c>: the knowledge-base agent — Groq tool use over a BM25 search of the folder, answer with sources.</summary>
internal static class AskCommand
{
    private static readonly Argument<string> s_question = new("question") { Description = "The question." };
    private static readonly Option<string> s_kb = new("--kb") { Description = "The folder of .md/.txt documents to answer from.", Required = true };
    private static readonly Option<bool> s_noStream = new("--no-stream") { Description = "Wait for the whole answer instead of streaming it." };

    public static Command Create()
    {
        var command = new Command("ask", "Answer a question from a folder of documents: the model searches them through tool calls and cites its sources.")
        {
            s_question,
            s_kb,
            s_noStream,
        };
        CommandRunner.SetAction(command, RunAsync, validate: parse =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(s_question)))
            {
                throw new HarnessUsageException("The question is empty. Ask something, e.g. ask --kb samples/kb \"How many vacation days carry over?\".");
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string folder = context.Get(s_kb)!;
        KnowledgeBaseIndex index;
        try
        {
            index = await KnowledgeBaseIndex.LoadAsync(folder, cancellationToken);
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or InvalidOperationException)
        {
            throw new HarnessUsageException(ex.Message);
        }

        HarnessOutput output = context.Output;
        var agent = new KnowledgeBaseAgent(context.Session.Get<Kernel>(), index);
        if (!output.Json)
        {
            output.Out.MarkupLine($"[grey]{index.DocumentCount} documents, {index.Passages.Count} passages · {Markup.Escape(context.Session.Options.Model)}{(context.Session.UsingEmulator ? " (emulator)" : string.Empty)}[/]");
        }

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
        {
            Feature = "kb-agent",
            Status = new Progress<GroqRequestStatus>(s => output.Status(s.Message)),
        });
        bool stream = !context.Get(s_noStream) && !output.Json;
        KnowledgeBaseAnswer answer = await agent.AskAsync(context.Get(s_question)!, stream ? output.WriteText : null, context.Session.Options.Model, cancellationToken);

        if (output.Json)
        {
            output.WriteJson(new
            {
                Question = context.Get(s_question),
                Answer = answer.Text,
                Sources = answer.CitedSources,
                Searches = answer.Searches,
                Retrieved = answer.Retrieved.Select(h => new { h.Passage.Source, h.Passage.Title, Score = Math.Round(h.Score, 3) }),
                Usage = new
                {
                    answer.Usage.Requests,
                    answer.Usage.PromptTokens,
                    answer.Usage.CompletionTokens,
                    answer.Usage.TotalTokens,
                    answer.Usage.Cost,
                },
            });
        }
        else
        {
            if (!stream)
            {
                output.Out.Write(new Text(answer.Text));
            }

            output.Out.WriteLine();
            output.Out.WriteLine();
            output.Out.MarkupLine(answer.CitedSources.Count > 0
                ? $"[bold]Sources:[/] {Markup.Escape(string.Join(", ", answer.CitedSources))}"
                : "[yellow]The answer cites none of the retrieved documents.[/]");
            output.Out.MarkupLine($"[grey]searched: {Markup.Escape(string.Join(" | ", answer.Searches))}[/]");
            output.Out.MarkupLine($"[grey]{answer.Usage.Requests} requests · {answer.Usage.TotalTokens} tokens (prompt {answer.Usage.PromptTokens}, completion {answer.Usage.CompletionTokens}) · cost {Formatting.Money(answer.Usage.Cost)}[/]");
        }

        return answer.Text.Length > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
