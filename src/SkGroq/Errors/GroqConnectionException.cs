namespace SkGroq.Errors;

/// <summary>No connection could be made, or it broke before the response started.</summary>
public sealed class GroqConnectionException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "connection_failed";

    /// <inheritdoc />
    public override bool IsTransient => true;
}
