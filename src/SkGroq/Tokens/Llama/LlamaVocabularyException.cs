namespace SkGroq.Tokens.Llama;

/// <summary>Meta's Llama 3 vocabulary could not be installed: the source is missing, unreadable, or not the expected file.</summary>
internal sealed class LlamaVocabularyException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="LlamaVocabularyException"/> class.</summary>
    public LlamaVocabularyException()
        : this("Meta's Llama 3 vocabulary could not be installed.", string.Empty)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlamaVocabularyException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public LlamaVocabularyException(string message)
        : this(message, string.Empty)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlamaVocabularyException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public LlamaVocabularyException(string message, Exception innerException)
        : this(message, string.Empty, null, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="LlamaVocabularyException"/> class.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="source">The source being installed (path or URL).</param>
    /// <param name="actualSha256">The sha256 of what the source produced, when it was read.</param>
    /// <param name="innerException">The cause.</param>
    public LlamaVocabularyException(string message, string source, string? actualSha256 = null, Exception? innerException = null)
        : base(message, innerException)
    {
        VocabularySource = source;
        ActualSha256 = actualSha256;
    }

    /// <summary>Gets the source being installed (path or URL).</summary>
    public string VocabularySource { get; }

    /// <summary>Gets the sha256 of what the source produced; <see langword="null"/> when it could not be read.</summary>
    public string? ActualSha256 { get; }

    /// <summary>Gets the sha256 expected (<see cref="LlamaVocabulary.Sha256"/>).</summary>
    public static string ExpectedSha256 => LlamaVocabulary.Sha256;
}
