using System.CommandLine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Embeddings;
using SkGroq.KnowledgeBase.Ingestion;
using SkGroq.KnowledgeBase.Search;
using SkGroq.KnowledgeBase.Storage;
using SkGroq.Tokens;
using Spectre.Console;

namespace SkGroq.Console.Commands;

/// <summary>What the knowledge-base commands share: the options, opening a knowledge base, its progress bar and its errors.</summary>
internal static class KnowledgeBaseCommandSupport
{
    public static Option<string?> IndexFile { get; } = new("--index")
    {
        Description = "The index file (default: in the user's data directory, keyed by the folder's full path).",
    };

    public static Option<string?> Embedder { get; } = new("--embedder")
    {
        Description = "The local embedding model: all-MiniLM-L6-v2 (default) or snowflake-arctic-embed-xs.",
    };

    public static Option<string> Mode { get; } = new("--mode")
    {
        Description = "Retrieval: hybrid (default), vector or keyword.",
        DefaultValueFactory = _ => "hybrid",
    };

    public static RetrievalMode ParseMode(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "HYBRID" => RetrievalMode.Hybrid,
        "VECTOR" => RetrievalMode.Vector,
        "KEYWORD" => RetrievalMode.Keyword,
        _ => throw new HarnessUsageException($"--mode '{value}' is not a retrieval mode. Use hybrid, vector or keyword."),
    };

    public static LocalKnowledgeBaseOptions Options(CommandContext context)
    {
        LocalEmbeddingModel model;
        try
        {
            model = context.Get(Embedder) is { } name ? LocalEmbeddingModel.Find(name) : LocalEmbeddingModel.MiniLM;
        }
        catch (ArgumentException ex)
        {
            throw new HarnessUsageException(ex.Message);
        }

        ITokenCounter counter = context.Session.Get<TokenCounterProvider>().GetCounter(context.Session.Options.Model);
        var options = new LocalKnowledgeBaseOptions
        {
            IndexPath = context.Get(IndexFile),
            Model = model,
            CountAnswerTokens = text => counter.CountTokens(text),
        };

        // An OpenAI-compatible embeddings endpoint instead of the local model (off by default; Groq serves no embeddings).
        IConfigurationSection remote = context.Session.Get<IConfiguration>().GetSection("KnowledgeBase:Embeddings");
        if (!string.IsNullOrWhiteSpace(remote["Endpoint"]))
        {
            if (!Uri.TryCreate(remote["Endpoint"], UriKind.Absolute, out Uri? endpoint) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new HarnessUsageException($"KnowledgeBase:Embeddings:Endpoint = '{remote["Endpoint"]}' is not an http(s) URL. Use the API's base address, e.g. https://api.openai.com/v1.");
            }

            string embeddingModel = string.IsNullOrWhiteSpace(remote["Model"])
                ? throw new HarnessUsageException("KnowledgeBase:Embeddings:Model is not set. Name the endpoint's embedding model, e.g. text-embedding-3-small.")
                : remote["Model"]!;
            int? dimensions = int.TryParse(remote["Dimensions"], System.Globalization.CultureInfo.InvariantCulture, out int d) ? d : null;
            var client = new OpenAI.Embeddings.EmbeddingClient(
                embeddingModel,
                new System.ClientModel.ApiKeyCredential(string.IsNullOrWhiteSpace(remote["ApiKey"]) ? "none" : remote["ApiKey"]!),
                new OpenAI.OpenAIClientOptions { Endpoint = endpoint });
            options.Embedder = client.AsIEmbeddingGenerator(dimensions);
            options.QueryPrefix = remote["QueryPrefix"];
        }

        return options;
    }

    /// <summary>Opens a knowledge base, indexing first (with a progress bar, and saying why) when its index is missing or stale.</summary>
    public static async Task<LocalKnowledgeBase> OpenAsync(CommandContext context, string folder, CancellationToken cancellationToken)
    {
        LocalKnowledgeBase kb = LocalKnowledgeBase.Create(folder, Options(context));
        try
        {
            if (!Directory.Exists(kb.Folder))
            {
                throw new HarnessUsageException($"The knowledge-base folder '{kb.Folder}' does not exist. Point --kb at a folder of .md, .txt or .pdf files.");
            }

            string? stale = await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, cancellationToken);
            if (stale is not null)
            {
                context.Output.Notice($"Indexing {kb.Folder} first: {stale.TrimEnd('.')}.");
                IndexReport report = await IndexAsync(context, kb, rebuild: false, cancellationToken);
                context.Output.Status(Summary(report));
            }

            await kb.Store.ValidateAsync(kb.Indexer.EmbedderId, cancellationToken);
            return kb;
        }
        catch
        {
            kb.Dispose();
            throw;
        }
    }

    public static async Task<IndexReport> IndexAsync(CommandContext context, LocalKnowledgeBase kb, bool rebuild, CancellationToken cancellationToken)
    {
        try
        {
            HarnessOutput output = context.Output;
            if (output.Json || !output.Err.Profile.Capabilities.Interactive)
            {
                return await kb.IndexAsync(rebuild, cancellationToken: cancellationToken);
            }

            IndexReport? report = null;
            await output.Err.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async progress =>
                {
                    ProgressTask documents = progress.AddTask("documents");
                    ProgressTask chunks = progress.AddTask("chunks embedded");
                    var reporter = new Progress<IndexProgress>(p =>
                    {
                        documents.MaxValue = Math.Max(1, p.TotalDocuments);
                        documents.Value = p.Documents;
                        double seconds = Math.Max(0.001, p.Elapsed.TotalSeconds);
                        documents.Description = $"documents {p.Documents}/{p.TotalDocuments} ({p.Documents / seconds:F1}/s)";
                        if (p.ChunksToEmbed > 0)
                        {
                            chunks.MaxValue = p.ChunksToEmbed;
                            chunks.Value = p.ChunksEmbedded;
                            chunks.Description = $"chunks {p.ChunksEmbedded}/{p.ChunksToEmbed} ({p.ChunksEmbedded / seconds:F1}/s)";
                        }
                    });
                    report = await kb.IndexAsync(rebuild, reporter, cancellationToken);
                    documents.Value = documents.MaxValue;
                    chunks.Value = chunks.MaxValue;
                });
            return report!;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or InvalidOperationException)
        {
            throw new HarnessUsageException(ex.Message);
        }
        catch (System.ClientModel.ClientResultException ex)
        {
            throw Translate(ex);
        }
    }

    public static string Summary(IndexReport report)
    {
        double seconds = Math.Max(0.001, report.EmbeddingTime.TotalSeconds);
        string embedded = report.ChunksEmbedded == 0
            ? "nothing to embed"
            : $"{report.ChunksEmbedded} chunks embedded in {report.EmbeddingTime.TotalSeconds:F1} s ({report.ChunksEmbedded / seconds:F1}/s)";
        return $"{report.Documents} documents, {report.Chunks} chunks · {report.Added.Count} added, {report.Changed.Count} changed, {report.Removed.Count} removed, {report.Unchanged} unchanged, {report.Skipped.Count} skipped · {embedded} · {report.Elapsed.TotalSeconds:F1} s";
    }

    /// <summary>Turns a knowledge-base failure into the harness's usage error where the user's input is at fault.</summary>
    public static Exception Translate(Exception exception) => exception switch
    {
        KnowledgeBaseIndexException index => new HarnessUsageException(index.Message),
        ArgumentException argument => new HarnessUsageException(argument.Message.Split(" (Parameter", 2)[0]),
        NotSupportedException unsupported => new HarnessUsageException(unsupported.Message),
        System.ClientModel.ClientResultException remote => new HarnessUsageException($"The embeddings endpoint failed (HTTP {remote.Status}: {remote.Message.Split('\n')[0]}). Check KnowledgeBase:Embeddings:Endpoint, Model and ApiKey, or remove the endpoint to embed locally."),
        _ => exception,
    };
}
