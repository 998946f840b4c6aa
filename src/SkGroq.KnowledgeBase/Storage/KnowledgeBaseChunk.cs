using System.Globalization;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel.Data;

namespace SkGroq.KnowledgeBase.Storage;

/// <summary>
/// One chunk of a knowledge base as a Microsoft.Extensions.VectorData record: the same record type works with the built-in
/// SQLite store and with any vector-data connector (Qdrant, Postgres, Redis, Azure AI Search).
/// </summary>
public sealed class KnowledgeBaseChunk
{
    /// <summary>The dimensions of the built-in embedding models.</summary>
    public const int Dimensions = 384;

    /// <summary>Gets or sets the key: the source path, <c>#</c>, and the chunk's number in its document.</summary>
    [VectorStoreKey]
    public string Key { get; set; } = string.Empty;

    /// <summary>Gets or sets the document's path relative to the knowledge-base folder, with '/' separators.</summary>
    [VectorStoreData(IsIndexed = true)]
    public string Source { get; set; } = string.Empty;

    /// <summary>Gets or sets the heading path, e.g. <c>Vacation policy › Carry-over</c>.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    public string Heading { get; set; } = string.Empty;

    /// <summary>Gets or sets the first line (1-based; on the page for PDFs).</summary>
    [VectorStoreData]
    public int LineStart { get; set; }

    /// <summary>Gets or sets the last line.</summary>
    [VectorStoreData]
    public int LineEnd { get; set; }

    /// <summary>Gets or sets the PDF page (1-based); 0 for text documents.</summary>
    [VectorStoreData]
    public int Page { get; set; }

    /// <summary>Gets or sets the text.</summary>
    [VectorStoreData(IsFullTextIndexed = true)]
    [TextSearchResultValue]
    public string Text { get; set; } = string.Empty;

    /// <summary>Gets or sets the text's tokens, counted for the answering model.</summary>
    [VectorStoreData]
    public int Tokens { get; set; }

    /// <summary>Gets or sets the embedding of <see cref="EmbeddingInput"/> (L2-normalized).</summary>
    [VectorStoreVector(Dimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }

    /// <summary>Gets the search-result name: <c>file › heading</c>.</summary>
    [TextSearchResultName]
    public string Name => $"{Source} › {Heading}";

    /// <summary>Gets the link to the passage: <c>path#Lstart-Lend</c> (<c>path#page=N</c> for PDFs).</summary>
    [TextSearchResultLink]
    public string Link => Page > 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Source}#page={Page}")
        : string.Create(CultureInfo.InvariantCulture, $"{Source}#L{LineStart}-L{LineEnd}");

    /// <summary>Gets the line range as text, e.g. <c>12-30</c> (with the page for PDFs, e.g. <c>p3:1-20</c>).</summary>
    public string Lines => Page > 0
        ? string.Create(CultureInfo.InvariantCulture, $"p{Page}:{LineStart}-{LineEnd}")
        : string.Create(CultureInfo.InvariantCulture, $"{LineStart}-{LineEnd}");

    /// <summary>Gets the text the embedder reads: the heading path, then the text.</summary>
    public string EmbeddingInput => $"{Heading}\n{Text}";
}
