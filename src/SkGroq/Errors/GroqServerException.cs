namespace SkGroq.Errors;

/// <summary>Groq failed (500, 502 and other 5xx) or answered with something that is not its API.</summary>
public sealed class GroqServerException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "server_error";

    /// <inheritdoc />
    /// <remarks>501 (Not Implemented) is not: the server does not serve this API at all, so the base URL is wrong.</remarks>
    public override bool IsTransient => StatusCode is null or 408 or (>= 500 and not 501);
}
