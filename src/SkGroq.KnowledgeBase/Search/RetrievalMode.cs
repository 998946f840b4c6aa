namespace SkGroq.KnowledgeBase.Search;

/// <summary>How passages are found.</summary>
public enum RetrievalMode
{
    /// <summary>Keyword and vector rankings fused with weights (the default).</summary>
    Hybrid,

    /// <summary>By meaning: cosine similarity of embeddings.</summary>
    Vector,

    /// <summary>By words: BM25 over the text and headings.</summary>
    Keyword,
}
