namespace SkGroq.Errors;

/// <summary>Groq rejected the request as malformed or unsupported (400, 422 and other client errors).</summary>
public sealed class GroqBadRequestException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "bad_request";
}
