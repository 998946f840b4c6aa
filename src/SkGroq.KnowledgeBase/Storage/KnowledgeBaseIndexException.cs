namespace SkGroq.KnowledgeBase.Storage;

/// <summary>An index file cannot be used as it is: damaged, from another schema version, or built with another embedder. The message says what to do.</summary>
public sealed class KnowledgeBaseIndexException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="KnowledgeBaseIndexException"/> class.</summary>
    public KnowledgeBaseIndexException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KnowledgeBaseIndexException"/> class.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    public KnowledgeBaseIndexException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="KnowledgeBaseIndexException"/> class.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public KnowledgeBaseIndexException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets a value indicating whether rebuilding the index from its folder fixes it (damaged file, older schema, other embedder).</summary>
    public bool RebuildFixes { get; init; }
}
