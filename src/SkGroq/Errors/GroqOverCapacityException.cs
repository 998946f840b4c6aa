namespace SkGroq.Errors;

/// <summary>The model has no capacity now (503 "over capacity", or 498 <c>capacity_exceeded</c> on the flex tier).</summary>
public sealed class GroqOverCapacityException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "over_capacity";

    /// <inheritdoc />
    public override bool IsTransient => true;
}
