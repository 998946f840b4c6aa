namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>A piece of a document sized for retrieval: what is embedded, indexed and given to the model.</summary>
/// <param name="Heading">The heading path of its section.</param>
/// <param name="Text">The text (the document's own lines, Markdown kept).</param>
/// <param name="LineStart">The first line (1-based, in the document or on the PDF page).</param>
/// <param name="LineEnd">The last line.</param>
/// <param name="Page">The PDF page; <see langword="null"/> for text documents.</param>
/// <param name="Tokens">The text's tokens, counted for the answering model.</param>
public sealed record Chunk(string Heading, string Text, int LineStart, int LineEnd, int? Page, int Tokens)
{
    /// <summary>Gets the text the embedder reads: the heading path, then the text.</summary>
    public string EmbeddingInput => $"{Heading}\n{Text}";
}
