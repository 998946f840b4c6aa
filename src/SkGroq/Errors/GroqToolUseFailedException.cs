namespace SkGroq.Errors;

/// <summary>The model produced a tool call that failed validation (400 <c>tool_use_failed</c>).</summary>
public sealed class GroqToolUseFailedException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "tool_use_failed";

    /// <summary>Gets what the model generated instead of a valid tool call (<c>failed_generation</c>).</summary>
    public string? FailedGeneration { get; init; }
}
