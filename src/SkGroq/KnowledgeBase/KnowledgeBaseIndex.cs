namespace SkGroq.KnowledgeBase;

/// <summary>A searchable knowledge base: the Markdown and text documents of a folder, split into passages and indexed with BM25 in memory.</summary>
public sealed class KnowledgeBaseIndex
{
    private static readonly string[] s_extensions = [".md", ".markdown", ".txt"];
    private readonly Bm25Index _index;

    private KnowledgeBaseIndex(string root, IReadOnlyList<KnowledgeBasePassage> passages, int documents)
    {
        Root = root;
        Passages = passages;
        DocumentCount = documents;
        _index = new Bm25Index(passages);
    }

    /// <summary>Gets the folder the documents were read from.</summary>
    public string Root { get; }

    /// <summary>Gets the number of documents read.</summary>
    public int DocumentCount { get; }

    /// <summary>Gets every passage.</summary>
    public IReadOnlyList<KnowledgeBasePassage> Passages { get; }

    /// <summary>Reads every <c>.md</c>, <c>.markdown</c> and <c>.txt</c> file under <paramref name="folder"/> and indexes it.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The index.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidOperationException">The folder holds no documents.</exception>
    public static async Task<KnowledgeBaseIndex> LoadAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The knowledge-base folder '{root}' does not exist. Point --kb at a folder of .md or .txt files.");
        }

        string[] files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => s_extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"The knowledge-base folder '{root}' holds no .md, .markdown or .txt files. Add documents or point --kb elsewhere.");
        }

        var passages = new List<KnowledgeBasePassage>();
        foreach (string file in files)
        {
            string text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            string source = Path.GetRelativePath(root, file).Replace('\\', '/');
            passages.AddRange(MarkdownSplitter.Split(source, text));
        }

        return new KnowledgeBaseIndex(root, passages, files.Length);
    }

    /// <summary>Builds an index from passages already in memory.</summary>
    /// <param name="passages">The passages.</param>
    /// <returns>The index.</returns>
    public static KnowledgeBaseIndex FromPassages(IReadOnlyList<KnowledgeBasePassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        return new KnowledgeBaseIndex(string.Empty, passages, passages.Select(p => p.Source).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>Finds the passages that best match a query.</summary>
    /// <param name="query">Search words.</param>
    /// <param name="top">The most passages to return.</param>
    /// <returns>The hits, best first; empty when nothing matches.</returns>
    public IReadOnlyList<KnowledgeBaseHit> Search(string query, int top = 3) => _index.Search(query, top);
}
