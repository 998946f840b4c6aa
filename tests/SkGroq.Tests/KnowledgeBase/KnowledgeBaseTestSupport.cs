using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Embeddings;
using SkGroq.Tokens;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>What the knowledge-base tests share: one loaded embedding model, the sample documents, and temporary folders.</summary>
internal static class KnowledgeBaseTestSupport
{
    private static readonly Lazy<LocalEmbeddingGenerator> s_embedder = new(() => new LocalEmbeddingGenerator(LocalEmbeddingModel.MiniLM));

    public static string Samples { get; } = Path.Combine(AppContext.BaseDirectory, "samples", "kb");

    /// <summary>Gets the repository's gold set (its corpus folders are the repository's own samples and docs).</summary>
    public static string GoldSet => TestData.Repository.File("samples", "kb-eval", "gold.json");

    /// <summary>Gets the model every test shares (it loads once per test run; the generator is thread-safe).</summary>
    public static LocalEmbeddingGenerator Embedder => s_embedder.Value;

    private static readonly ITokenCounter s_counter = new TokenCounterProvider().GetCounter("llama-3.1-8b-instant");

    public static Func<string, int> AnswerTokens { get; } = text => s_counter.CountTokens(text);

    public static LocalKnowledgeBaseOptions Options(string indexPath) => new()
    {
        IndexPath = indexPath,
        Embedder = Embedder,
        CountAnswerTokens = AnswerTokens,
    };

    /// <summary>Copies the sample documents into a new temporary folder.</summary>
    public static TempFolder CopySamples()
    {
        var folder = new TempFolder();
        Directory.CreateDirectory(folder.Docs);
        foreach (string file in Directory.GetFiles(Samples))
        {
            File.Copy(file, Path.Combine(folder.Docs, Path.GetFileName(file)));
        }

        return folder;
    }
}

/// <summary>A temporary folder with a <c>docs</c> subfolder for documents and a path for the index file; deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "skgroq-kb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Docs => Path.Combine(Root, "docs");

    public string Index => Path.Combine(Root, "index.db");

    public string Write(string relative, string text)
    {
        string path = Path.Combine(Docs, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on some platform; the temp folder is cleaned by the OS.
        }
    }
}
