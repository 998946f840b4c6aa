namespace SkGroq.Errors;

/// <summary>A stream ended with an error after HTTP 200: an <c>event: error</c> frame, a data-only <c>{"error":…}</c> frame, <c>x_groq.error</c>, or a broken connection.</summary>
public sealed class GroqStreamInterruptedException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "stream_interrupted";

    /// <summary>Gets the text received before the error.</summary>
    public string PartialText { get; init; } = string.Empty;

    /// <summary>Gets <c>failed_generation</c> from a <c>tool_use_failed</c> frame.</summary>
    public string? FailedGeneration { get; init; }
}
