namespace SkGroq.Errors;

/// <summary>Groq failed (500, 502 and other 5xx) or answered with something that is not its API.</summary>
public sealed class GroqServerException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "server_error";

    /// <inheritdoc />
    public override bool IsTransient => StatusCode is null or >= 500 or 408;
}
