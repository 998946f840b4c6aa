namespace SkGroq.Errors;

/// <summary>Groq rejected the API key (401).</summary>
public sealed class GroqAuthenticationException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "authentication";
}
