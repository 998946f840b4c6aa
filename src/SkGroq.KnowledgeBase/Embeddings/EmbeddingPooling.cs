namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>How a transformer's token vectors become one sentence embedding.</summary>
public enum EmbeddingPooling
{
    /// <summary>The vector of the leading <c>[CLS]</c> token.</summary>
    Cls,

    /// <summary>The mean of the vectors of the real (unpadded) tokens.</summary>
    Mean,
}
