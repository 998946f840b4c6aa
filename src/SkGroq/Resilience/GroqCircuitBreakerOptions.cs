using System.ComponentModel.DataAnnotations;

namespace SkGroq.Resilience;

/// <summary>Settings of the circuit breaker kept per model (<c>Groq:Resilience:CircuitBreaker</c>).</summary>
/// <remarks>
/// Counted as failures: 5xx (503 over capacity included), connection failures and first-byte timeouts — what says the model
/// or Groq is unwell. Not counted: 4xx, 429 (quota is not health) and 498 (flex capacity; on-demand may still be fine).
/// While a model's circuit is open its requests fail at once with <see cref="Errors.GroqCircuitOpenException"/>, which the
/// model fallback treats as "model unavailable".
/// </remarks>
public sealed class GroqCircuitBreakerOptions
{
    /// <summary>Gets or sets a value indicating whether a circuit breaker is kept per model.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of failed attempts within <see cref="SamplingDuration"/> that opens the circuit.</summary>
    /// <value>The default is 0.5.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = GroqResilienceDefaults.CircuitBreakerFailureRatio;

    /// <summary>Gets or sets the attempts a model must have had within <see cref="SamplingDuration"/> before its circuit may open.</summary>
    /// <value>The default is 10.</value>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = GroqResilienceDefaults.CircuitBreakerMinimumThroughput;

    /// <summary>Gets or sets the window over which the failure ratio is measured.</summary>
    /// <value>The default is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.5", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = GroqResilienceDefaults.CircuitBreakerSamplingDuration;

    /// <summary>Gets or sets how long an open circuit stops requests to its model before one probe is let through.</summary>
    /// <value>The default is 15 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.5", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = GroqResilienceDefaults.CircuitBreakerBreakDuration;
}
