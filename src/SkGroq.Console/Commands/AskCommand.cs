using System.CommandLine;
using Microsoft.SemanticKernel;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.Context;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Agent;
using Spectre.Console;
using Support = SkGroq.Console.Commands.KnowledgeBaseCommandSupport;

namespace SkGroq.Console.Commands;

/// <summary><c>ask --kb folder "question"</c>: the knowledge-base agent — hybrid search of the folder's persistent index, an answer citing numbered, checked sources.</summary>
internal static class AskCommand
{
    private static readonly Argument<string> s_question = new("question") { Description = "The question." };
    private static readonly Option<string> s_kb = new("--kb") { Description = "The folder of .md, .txt and .pdf documents to answer from (indexed first when its index is missing or stale).", Required = true };
    private static readonly Option<bool> s_noStream = new("--no-stream") { Description = "Wait for the whole answer instead of streaming it." };
    private static readonly Option<string> s_retrieval = new("--retrieval")
    {
        Description = "tool (default): the model searches through tool calls, two round trips; pre: passages are retrieved for the question and put in the prompt, one round trip.",
        DefaultValueFactory = _ => "tool",
    };

    public static Command Create()
    {
        var command = new Command("ask", "Answer a question from a folder of documents, citing the passages it used as [S1], [S2], ….")
        {
            s_question,
            s_kb,
            s_noStream,
            s_retrieval,
            Support.Mode,
            Support.IndexFile,
            Support.Embedder,
        };
        CommandRunner.SetAction(command, RunAsync, validate: parse =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(s_question)))
            {
                throw new HarnessUsageException("The question is empty. Ask something, e.g. ask --kb samples/kb \"How many vacation days carry over?\".");
            }

            ParseRetrieval(parse.GetValue(s_retrieval));
            Support.ParseMode(parse.GetValue(Support.Mode));
        });
        return command;
    }

    private static KnowledgeBaseRetrieval ParseRetrieval(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "TOOL" => KnowledgeBaseRetrieval.Tool,
        "PRE" => KnowledgeBaseRetrieval.Pre,
        _ => throw new HarnessUsageException($"--retrieval '{value}' is not a retrieval mode. Use tool or pre."),
    };

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        KnowledgeBaseRetrieval retrieval = ParseRetrieval(context.Get(s_retrieval));
        using LocalKnowledgeBase kb = await Support.OpenAsync(context, context.Get(s_kb)!, cancellationToken);
        HarnessOutput output = context.Output;
        var agent = new KnowledgeBaseAgent(context.Session.Get<Kernel>(), kb.Searcher) { Mode = Support.ParseMode(context.Get(Support.Mode)) };
        if (!output.Json)
        {
            (int documents, int chunks, _) = await kb.Store.CountAsync(cancellationToken);
            output.Out.MarkupLine($"[grey]{documents} documents, {chunks} passages · {Markup.Escape(context.Session.Options.Model)}{(context.Session.UsingEmulator ? " (emulator)" : string.Empty)}[/]");
        }

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions
        {
            Feature = "kb-agent",
            Status = new Progress<GroqRequestStatus>(s => output.Status(s.Message)),
        });
        bool stream = !context.Get(s_noStream) && !output.Json;
        KnowledgeBaseAnswer answer = await agent.AskAsync(context.Get(s_question)!, stream ? output.WriteText : null, context.Session.Options.Model, retrieval, cancellationToken);

        if (output.Json)
        {
            output.WriteJson(new
            {
                Question = context.Get(s_question),
                Answer = answer.Text,
                Retrieval = answer.Retrieval.ToString().ToLowerInvariant(),
                Citations = answer.Citations.Select(c => new
                {
                    c.Label,
                    Valid = c.IsValid,
                    c.Hit?.Chunk.Source,
                    c.Hit?.Chunk.Heading,
                    c.Hit?.Chunk.Lines,
                    Score = c.Hit is null ? (double?)null : Math.Round(c.Hit.Score, 4),
                }),
                Sources = answer.CitedSources,
                Searches = answer.Searches,
                Retrieved = answer.Retrieved.Select((h, i) => new { Label = $"S{i + 1}", h.Chunk.Source, h.Chunk.Heading, h.Chunk.Lines, Score = Math.Round(h.Score, 4) }),
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
            foreach (KnowledgeBaseCitation citation in answer.Citations)
            {
                output.Out.MarkupLine(citation.Hit is { } hit
                    ? $"[bold][[{citation.Label}]][/] {Markup.Escape(hit.Chunk.Source)} › {Markup.Escape(hit.Chunk.Heading)} [grey](lines {hit.Chunk.Lines})[/]"
                    : $"[red][[{citation.Label}]] cites a passage the model was not given[/]");
            }

            if (answer.Citations.Count == 0)
            {
                output.Out.MarkupLine("[yellow]The answer cites none of the retrieved passages.[/]");
            }

            output.Out.MarkupLine($"[grey]{answer.Retrieval.ToString().ToLowerInvariant()} retrieval · searched: {Markup.Escape(string.Join(" | ", answer.Searches))}[/]");
            output.Out.MarkupLine($"[grey]{Formatting.Count(answer.Usage.Requests, "request", "requests")} · {answer.Usage.TotalTokens} tokens (prompt {answer.Usage.PromptTokens}, completion {answer.Usage.CompletionTokens}) · cost {Formatting.Money(answer.Usage.Cost)}[/]");
        }

        return answer.Text.Length > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
