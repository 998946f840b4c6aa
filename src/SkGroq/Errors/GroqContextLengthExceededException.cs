namespace SkGroq.Errors;

/// <summary>The prompt plus the requested completion do not fit the model's context window (400 <c>context_length_exceeded</c>).</summary>
public sealed class GroqContextLengthExceededException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "context_length_exceeded";

    /// <summary>Gets the model's context window, when known.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>Gets the tokens the request needed (prompt plus max completion), when known.</summary>
    public long? RequestedTokens { get; init; }
}
