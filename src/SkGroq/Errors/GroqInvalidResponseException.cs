namespace SkGroq.Errors;

/// <summary>The server answered 200 with a body that is not Groq's API (HTML, non-JSON, truncated JSON).</summary>
public sealed class GroqInvalidResponseException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "invalid_response";
}
