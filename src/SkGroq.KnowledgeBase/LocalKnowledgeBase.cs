using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.AI;
using SkGroq.KnowledgeBase.Embeddings;
using SkGroq.KnowledgeBase.Ingestion;
using SkGroq.KnowledgeBase.Search;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.KnowledgeBase;

/// <summary>
/// A folder of documents with its persistent index: the store, the embedder, the indexer and the search, wired together.
/// <see cref="OpenAsync"/> indexes the folder first when the index is missing or stale.
/// </summary>
public sealed class LocalKnowledgeBase : IDisposable
{
    private readonly LocalEmbeddingGenerator? _ownedGenerator;

    private LocalKnowledgeBase(string folder, LocalKnowledgeBaseOptions options)
    {
        Folder = Path.GetFullPath(folder);
        IndexPath = Path.GetFullPath(options.IndexPath ?? DefaultIndexPath(Folder));
        if (options.Embedder is null)
        {
            _ownedGenerator = new LocalEmbeddingGenerator(options.Model, new LocalEmbeddingOptions { TimeProvider = options.TimeProvider });
        }

        Embedder = options.Embedder ?? _ownedGenerator!;
        IEmbeddingTokenCounter? counter = Embedder.GetService<IEmbeddingTokenCounter>();
        Func<string, int> countAnswerTokens = options.CountAnswerTokens ?? (counter is null ? (t => (t.Length + 3) / 4) : counter.CountTokens);
        Store = new SqliteKnowledgeBaseStore(IndexPath, Embedder) { Weights = options.Weights };
        Indexer = new KnowledgeBaseIndexer(Embedder, new Chunker(countAnswerTokens, counter, options.Chunking), options.TimeProvider);
        Searcher = new KnowledgeBaseSearcher(Store, Embedder) { RelevanceFloor = options.RelevanceFloor, QueryPrefix = options.QueryPrefix };
    }

    /// <summary>Gets the folder's full path.</summary>
    public string Folder { get; }

    /// <summary>Gets the index file's full path.</summary>
    public string IndexPath { get; }

    /// <summary>Gets the embedder.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Embedder { get; }

    /// <summary>Gets the index.</summary>
    public SqliteKnowledgeBaseStore Store { get; }

    /// <summary>Gets the indexer.</summary>
    public KnowledgeBaseIndexer Indexer { get; }

    /// <summary>Gets the search.</summary>
    public KnowledgeBaseSearcher Searcher { get; }

    /// <summary>Gets the report of the indexing <see cref="OpenAsync"/> did; <see langword="null"/> when the index was current.</summary>
    public IndexReport? Indexed { get; private set; }

    /// <summary>Gets why <see cref="OpenAsync"/> indexed (missing, a document changed…); <see langword="null"/> when it did not.</summary>
    public string? IndexedBecause { get; private set; }

    /// <summary>Gets where a folder's index lives by default: the user's data directory, keyed by the folder's full path.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The file path, e.g. <c>~/.local/share/skgroq/kb/kb-1a2b3c4d5e6f7a8b.db</c>.</returns>
    public static string DefaultIndexPath(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string key = Convert.ToHexStringLower(XxHash64.Hash(Encoding.UTF8.GetBytes(full)));
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (string.IsNullOrEmpty(data))
        {
            data = Path.Combine(Path.GetTempPath(), "skgroq");
        }

        return Path.Combine(data, "skgroq", "kb", $"{Path.GetFileName(full)}-{key}.db");
    }

    /// <summary>Creates a knowledge base over a folder without touching its index.</summary>
    /// <param name="folder">The folder of documents.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>The knowledge base.</returns>
    public static LocalKnowledgeBase Create(string folder, LocalKnowledgeBaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        return new LocalKnowledgeBase(folder, options ?? new LocalKnowledgeBaseOptions());
    }

    /// <summary>Opens a knowledge base, indexing the folder first when its index is missing or stale.</summary>
    /// <param name="folder">The folder of documents.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Told of indexing progress.</param>
    /// <param name="cancellationToken">Cancels opening (an interrupted indexing leaves the index as it was).</param>
    /// <returns>The knowledge base, ready to search.</returns>
    public static async Task<LocalKnowledgeBase> OpenAsync(string folder, LocalKnowledgeBaseOptions? options = null, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        LocalKnowledgeBase kb = Create(folder, options);
        try
        {
            if (!Directory.Exists(kb.Folder))
            {
                throw new DirectoryNotFoundException($"The knowledge-base folder '{kb.Folder}' does not exist. Point --kb at a folder of .md, .txt or .pdf files.");
            }

            string? stale = await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, cancellationToken).ConfigureAwait(false);
            if (stale is not null)
            {
                kb.IndexedBecause = stale;
                kb.Indexed = await kb.Indexer.IndexAsync(kb.Folder, kb.Store, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await kb.Store.ValidateAsync(kb.Indexer.EmbedderId, cancellationToken).ConfigureAwait(false);
            return kb;
        }
        catch
        {
            kb.Dispose();
            throw;
        }
    }

    /// <summary>Indexes the folder (incrementally unless <paramref name="rebuild"/>).</summary>
    /// <param name="rebuild"><see langword="true"/> to start from an empty index.</param>
    /// <param name="progress">Told of progress.</param>
    /// <param name="cancellationToken">Cancels indexing; the index stays as it was.</param>
    /// <returns>What was done.</returns>
    public Task<IndexReport> IndexAsync(bool rebuild = false, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Indexer.IndexAsync(Folder, Store, rebuild, progress, cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        Store.Dispose();
        _ownedGenerator?.Dispose();
    }
}
