using System.CommandLine;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Evaluation;
using SkGroq.KnowledgeBase.Search;
using Spectre.Console;
using Support = SkGroq.Console.Commands.KnowledgeBaseCommandSupport;

namespace SkGroq.Console.Commands;

/// <summary><c>kb eval</c>: retrieval quality on a gold set, per mode and per kind of question.</summary>
internal static class KbEvalCommand
{
    private static readonly Option<string> s_gold = new("--gold")
    {
        Description = "The gold set (default: samples/kb-eval/gold.json).",
        DefaultValueFactory = _ => Path.Combine("samples", "kb-eval", "gold.json"),
    };

    public static Command Create()
    {
        var command = new Command("eval", "Measure retrieval on a gold set: recall@5, MRR@10 and nDCG@10 for keyword, vector and hybrid search, per kind of question. Exits 1 when hybrid ranks below keyword-only.")
        {
            s_gold,
            Support.IndexFile,
            Support.Embedder,
        };
        CommandRunner.SetAction(command, RunAsync, needsServer: false);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        string goldPath = Path.GetFullPath(context.Get(s_gold)!);
        if (!File.Exists(goldPath))
        {
            throw new HarnessUsageException($"There is no gold set at '{goldPath}'. Run from the repository root, or pass --gold <file>.");
        }

        GoldSet gold;
        try
        {
            gold = await GoldSet.LoadAsync(goldPath, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new HarnessUsageException(ex.Message);
        }

        // The corpus folders are copied side by side (kb/…, docs/…) so one index covers them; unchanged files are not re-embedded.
        string key = Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(goldPath)));
        string corpus = Path.Combine(Path.GetDirectoryName(LocalKnowledgeBase.DefaultIndexPath(goldPath))!, "eval", key, "corpus");
        Directory.CreateDirectory(corpus);
        await gold.CopyCorpusAsync(corpus);

        using LocalKnowledgeBase kb = await Support.OpenAsync(context, corpus, cancellationToken);
        RetrievalReport report = await RetrievalEvaluator.EvaluateAsync(kb.Searcher, gold, cancellationToken);
        var hybrid = report.Average(RetrievalMode.Hybrid);
        var keyword = report.Average(RetrievalMode.Keyword);
        bool worse = hybrid.MrrAt10 < keyword.MrrAt10 - 1e-9 || hybrid.RecallAt5 < keyword.RecallAt5 - 1e-9;
        HarnessOutput output = context.Output;
        if (output.Json)
        {
            output.WriteJson(new
            {
                Gold = goldPath,
                Embedder = kb.Indexer.EmbedderId,
                Questions = gold.Questions.Count,
                Modes = RetrievalEvaluator.Modes.Select(mode => new
                {
                    Mode = mode.ToString().ToLowerInvariant(),
                    Overall = Scores(report.Average(mode)),
                    Kinds = report.Kinds.ToDictionary(k => k, k => Scores(report.Average(mode, k))),
                }),
                RelevanceFloor = report.RelevanceFloor,
                LowestGoldSimilarity = Round(report.LowestGoldSimilarity),
                HighestUnanswerableSimilarity = Round(report.HighestUnanswerableSimilarity),
                DroppedByFloor = report.DroppedByFloor.Select(r => r.Question.Id),
                Misses = report.Results.Where(r => r.Mode == RetrievalMode.Hybrid && r.Question.Sources.Count > 0 && r.RecallAt5 < 1)
                    .Select(r => new { r.Question.Id, r.Question.Question, Recall = Math.Round(r.RecallAt5, 2) }),
                HybridBelowKeyword = worse,
            });
            return worse ? ExitCodes.Failure : ExitCodes.Success;
        }

        var table = new Table().AddColumns("mode", "kind", "questions", "recall@5", "MRR@10", "nDCG@10");
        foreach (RetrievalMode mode in RetrievalEvaluator.Modes)
        {
            foreach (string? kind in report.Kinds.Append(null))
            {
                var a = report.Average(mode, kind);
                table.AddRow(mode.ToString().ToLowerInvariant(), kind ?? "[bold]all[/]", a.Questions.ToString(CultureInfo.InvariantCulture), F(a.RecallAt5), F(a.MrrAt10), F(a.NdcgAt10));
            }
        }

        output.Out.Write(table);
        output.Out.MarkupLine($"[grey]{gold.Questions.Count} questions · embedder {Markup.Escape(kb.Indexer.EmbedderId)} · corpus {Markup.Escape(corpus)}[/]");
        output.Out.MarkupLine($"[grey]Similarity of the first gold hit: lowest {F(report.LowestGoldSimilarity)}; top hit of unanswerable questions: highest {F(report.HighestUnanswerableSimilarity)}; relevance floor {F(report.RelevanceFloor)} drops {report.DroppedByFloor.Count} answerable question(s).[/]");
        foreach (QuestionResult miss in report.Results.Where(r => r.Mode == RetrievalMode.Hybrid && r.Question.Sources.Count > 0 && r.RecallAt5 < 1))
        {
            output.Out.MarkupLine($"[yellow]hybrid miss[/] {Markup.Escape(miss.Question.Id)} {Markup.Escape(miss.Question.Question)} [grey](recall@5 {F(miss.RecallAt5)})[/]");
        }

        if (worse)
        {
            output.Out.MarkupLine("[red]Hybrid ranks below keyword-only on this set: tune the fusion weights (HybridSearchWeights).[/]");
        }

        return worse ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static object Scores((double RecallAt5, double MrrAt10, double NdcgAt10, int Questions) a) =>
        new { a.Questions, RecallAt5 = Math.Round(a.RecallAt5, 3), MrrAt10 = Math.Round(a.MrrAt10, 3), NdcgAt10 = Math.Round(a.NdcgAt10, 3) };

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private static string F(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}
