namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>An embedding generator that can say how many of its own tokens a text takes, and how many it reads.</summary>
/// <remarks>The chunker uses it to keep every chunk within what the embedder reads; a generator without it gets a conservative estimate.</remarks>
public interface IEmbeddingTokenCounter
{
    /// <summary>Gets the most tokens the embedder reads from one text.</summary>
    int MaxInputTokens { get; }

    /// <summary>Counts the embedder's tokens of a text, special tokens included.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The count.</returns>
    int CountTokens(string text);
}
