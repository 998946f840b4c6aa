namespace SkGroq.Errors;

/// <summary>A timeout: no first byte, a stalled stream, or the request's deadline.</summary>
public sealed class GroqTimeoutException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => TimeoutKind switch
    {
        GroqTimeoutKind.StreamIdle => "stream_stalled",
        GroqTimeoutKind.Deadline => "deadline_exceeded",
        _ => "first_byte_timeout",
    };

    /// <inheritdoc />
    public override bool IsTransient => TimeoutKind == GroqTimeoutKind.FirstByte;

    /// <summary>Gets which watchdog fired.</summary>
    public GroqTimeoutKind TimeoutKind { get; init; }

    /// <summary>Gets the timeout that elapsed.</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>Gets the text streamed before the timeout (for <see cref="GroqTimeoutKind.StreamIdle"/>).</summary>
    public string? PartialText { get; init; }
}
