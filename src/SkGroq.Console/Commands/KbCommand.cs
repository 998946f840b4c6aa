using System.CommandLine;
using System.Globalization;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Ingestion;
using SkGroq.KnowledgeBase.Search;
using Spectre.Console;
using Support = SkGroq.Console.Commands.KnowledgeBaseCommandSupport;

namespace SkGroq.Console.Commands;

/// <summary><c>kb index | search | stats | eval</c>: the persistent knowledge-base index.</summary>
internal static class KbCommand
{
    private static readonly Argument<string> s_folder = new("folder") { Description = "The folder of .md, .txt and .pdf documents." };
    private static readonly Option<bool> s_rebuild = new("--rebuild") { Description = "Start from an empty index instead of updating it." };
    private static readonly Option<string> s_kb = new("--kb") { Description = "The knowledge-base folder.", Required = true };
    private static readonly Argument<string> s_query = new("query") { Description = "What to look for." };
    private static readonly Option<int> s_top = new("--top", "-k") { Description = "How many passages (default 5).", DefaultValueFactory = _ => 5 };

    public static Command Create()
    {
        var index = new Command("index", "Index a folder: read, chunk and embed its documents into the persistent index (only what changed since the last run).")
        {
            s_folder,
            s_rebuild,
            Support.IndexFile,
            Support.Embedder,
        };
        CommandRunner.SetAction(index, IndexAsync, needsServer: false);

        var search = new Command("search", "Search the knowledge base (indexing it first when the index is missing or stale).")
        {
            s_query,
            s_kb,
            s_top,
            Support.Mode,
            Support.IndexFile,
            Support.Embedder,
        };
        CommandRunner.SetAction(search, SearchAsync, needsServer: false, validate: parse =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(s_query)))
            {
                throw new HarnessUsageException("The query is empty. Search for something, e.g. kb search --kb samples/kb \"time off for a newborn\".");
            }

            if (parse.GetValue(s_top) is < 1 or > 50)
            {
                throw new HarnessUsageException("--top must be between 1 and 50.");
            }

            Support.ParseMode(parse.GetValue(Support.Mode));
        });

        var stats = new Command("stats", "What the index of a folder holds: documents, chunks, size, embedder, and whether it is current.")
        {
            s_kb,
            Support.IndexFile,
            Support.Embedder,
        };
        CommandRunner.SetAction(stats, StatsAsync, needsServer: false);

        return new Command("kb", "The knowledge base: a persistent hybrid (keyword + meaning) index of a folder of documents.")
        {
            index,
            search,
            stats,
            KbEvalCommand.Create(),
        };
    }

    private static async Task<int> IndexAsync(CommandContext context, CancellationToken cancellationToken)
    {
        using LocalKnowledgeBase kb = LocalKnowledgeBase.Create(context.Get(s_folder)!, Support.Options(context));
        IndexReport report = await Support.IndexAsync(context, kb, context.Get(s_rebuild), cancellationToken);
        HarnessOutput output = context.Output;
        if (output.Json)
        {
            output.WriteJson(new
            {
                Ok = true,
                report.Folder,
                Index = report.IndexPath,
                report.Embedder,
                report.Documents,
                report.Chunks,
                report.Added,
                report.Changed,
                report.Removed,
                report.Unchanged,
                Skipped = report.Skipped.Select(s => new { Source = s.Source, s.Reason }),
                Notes = report.Notes.Select(n => new { Source = n.Source, n.Note }),
                report.ChunksEmbedded,
                report.ChunksReused,
                report.RebuiltBecause,
                ElapsedSeconds = Math.Round(report.Elapsed.TotalSeconds, 2),
                ChunksPerSecond = report.ChunksEmbedded == 0 ? 0 : Math.Round(report.ChunksEmbedded / Math.Max(0.001, report.EmbeddingTime.TotalSeconds), 1),
            });
            return ExitCodes.Success;
        }

        if (report.RebuiltBecause is not null)
        {
            output.Notice($"Rebuilt the index: {report.RebuiltBecause}");
        }

        output.Out.MarkupLine(Markup.Escape(Support.Summary(report)));
        foreach ((string source, string reason) in report.Skipped)
        {
            output.Out.MarkupLine($"[yellow]skipped[/] {Markup.Escape(source)}: {Markup.Escape(reason)}");
        }

        foreach ((string source, string note) in report.Notes)
        {
            output.Out.MarkupLine($"[grey]note[/] {Markup.Escape(source)}: {Markup.Escape(note)}");
        }

        output.Out.MarkupLine($"[grey]index: {Markup.Escape(report.IndexPath)} · embedder {Markup.Escape(report.Embedder)}[/]");
        return ExitCodes.Success;
    }

    private static async Task<int> SearchAsync(CommandContext context, CancellationToken cancellationToken)
    {
        RetrievalMode mode = Support.ParseMode(context.Get(Support.Mode));
        using LocalKnowledgeBase kb = await Support.OpenAsync(context, context.Get(s_kb)!, cancellationToken);
        IReadOnlyList<KnowledgeBaseHit> hits;
        try
        {
            hits = await kb.Searcher.SearchAsync(context.Get(s_query)!, context.Get(s_top), mode, cancellationToken);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or System.ClientModel.ClientResultException)
        {
            throw Support.Translate(ex);
        }

        HarnessOutput output = context.Output;
        if (output.Json)
        {
            output.WriteJson(new
            {
                Hits = hits.Select(h => new
                {
                    h.Chunk.Source,
                    h.Chunk.Heading,
                    h.Chunk.Lines,
                    Score = Math.Round(h.Score, 4),
                    h.Chunk.Text,
                }),
            });
            return ExitCodes.Success;
        }

        if (hits.Count == 0)
        {
            output.Out.MarkupLine("[yellow]Nothing in the knowledge base matches.[/]");
            return ExitCodes.Success;
        }

        for (int i = 0; i < hits.Count; i++)
        {
            KnowledgeBaseHit hit = hits[i];
            output.Out.MarkupLine($"[bold]{i + 1}. {Markup.Escape(hit.Chunk.Source)}[/] › {Markup.Escape(hit.Chunk.Heading)} [grey](lines {hit.Chunk.Lines}, score {hit.Score.ToString("F4", CultureInfo.InvariantCulture)})[/]");
            string text = hit.Chunk.Text.Length > 300 ? hit.Chunk.Text[..300] + "…" : hit.Chunk.Text;
            output.Out.WriteLine("   " + text.ReplaceLineEndings("\n   "));
        }

        return ExitCodes.Success;
    }

    private static async Task<int> StatsAsync(CommandContext context, CancellationToken cancellationToken)
    {
        using LocalKnowledgeBase kb = LocalKnowledgeBase.Create(context.Get(s_kb)!, Support.Options(context));
        if (!File.Exists(kb.IndexPath))
        {
            throw new HarnessUsageException($"'{kb.Folder}' has no index yet ({kb.IndexPath}). Build it with: kb index {context.Get(s_kb)}");
        }

        string? stale = await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, cancellationToken);
        IReadOnlyDictionary<string, string> meta = await kb.Store.GetMetadataAsync(cancellationToken);
        (int documents, int chunks, long bytes) = await kb.Store.CountAsync(cancellationToken);
        HarnessOutput output = context.Output;
        if (output.Json)
        {
            output.WriteJson(new
            {
                Folder = kb.Folder,
                Index = kb.IndexPath,
                Documents = documents,
                Chunks = chunks,
                Bytes = bytes,
                Embedder = meta.GetValueOrDefault("embedder"),
                SchemaVersion = meta.GetValueOrDefault("schema_version"),
                IndexedAt = meta.GetValueOrDefault("indexed_at"),
                Current = stale is null,
                Stale = stale,
            });
            return ExitCodes.Success;
        }

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("folder", Markup.Escape(kb.Folder));
        grid.AddRow("index", Markup.Escape(kb.IndexPath));
        grid.AddRow("documents", Formatting.Number(documents));
        grid.AddRow("chunks", Formatting.Number(chunks));
        grid.AddRow("size", $"{Formatting.Number(bytes)} bytes");
        grid.AddRow("embedder", Markup.Escape(meta.GetValueOrDefault("embedder", "?")));
        grid.AddRow("indexed at", Markup.Escape(meta.GetValueOrDefault("indexed_at", "?")));
        grid.AddRow("current", stale is null ? "[green]yes[/]" : $"[yellow]no: {Markup.Escape(stale)}; run kb index[/]");
        output.Out.Write(grid);
        return ExitCodes.Success;
    }
}
