namespace SkGroq.Errors;

/// <summary>No connection could be made, or it broke before the response started.</summary>
public sealed class GroqConnectionException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "connection_failed";

    /// <inheritdoc />
    /// <remarks>A host name that does not resolve and a failed TLS handshake are not: the endpoint itself is wrong.</remarks>
    public override bool IsTransient => Failure is not (GroqConnectionFailure.NameResolution or GroqConnectionFailure.Tls);

    /// <summary>Gets why the connection failed.</summary>
    internal GroqConnectionFailure Failure { get; init; }
}
