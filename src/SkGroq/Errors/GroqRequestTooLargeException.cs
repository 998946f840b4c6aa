namespace SkGroq.Errors;

/// <summary>One request is larger than a limit can ever admit (413, or the local check before sending).</summary>
public sealed class GroqRequestTooLargeException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "request_too_large";

    /// <summary>Gets the limit that cannot admit the request (tokens/minute, or the context window when <see cref="GroqLimitKind.Unknown"/>).</summary>
    public GroqLimitKind Limit { get; init; }

    /// <summary>Gets the value of that limit, when known.</summary>
    public long? LimitValue { get; init; }

    /// <summary>Gets the tokens the request needs, when known.</summary>
    public long? Requested { get; init; }

    /// <summary>Gets a value indicating whether SkGroq refused the request before sending it.</summary>
    public bool IsLocal { get; init; }
}
