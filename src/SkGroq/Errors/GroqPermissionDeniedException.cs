namespace SkGroq.Errors;

/// <summary>Groq (or its front door) refused access (403).</summary>
public sealed class GroqPermissionDeniedException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "permission_denied";
}
