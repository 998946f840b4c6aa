namespace SkGroq.Errors;

/// <summary>The model or the URL does not exist (404 <c>model_not_found</c> or <c>unknown_url</c>).</summary>
public sealed class GroqNotFoundException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => ErrorCode == "unknown_url" ? "unknown_url" : "model_not_found";
}
