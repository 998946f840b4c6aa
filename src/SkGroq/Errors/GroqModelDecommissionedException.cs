namespace SkGroq.Errors;

/// <summary>The model has been retired (400 <c>model_decommissioned</c>).</summary>
public sealed class GroqModelDecommissionedException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "model_decommissioned";
}
