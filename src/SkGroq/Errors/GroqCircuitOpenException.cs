namespace SkGroq.Errors;

/// <summary>
/// SkGroq stopped sending requests to a model for a while because most recent attempts failed (its circuit breaker is open).
/// Nothing was sent; the model fallback treats this as "model unavailable".
/// </summary>
public sealed class GroqCircuitOpenException(string message, GroqErrorDetails? details = null, Exception? innerException = null) : GroqException(message, details, innerException)
{
    /// <inheritdoc />
    public override string Kind => "circuit_open";

    /// <summary>Gets the failure that opened the circuit, when known.</summary>
    public GroqException? BreakingError => InnerException as GroqException;
}
