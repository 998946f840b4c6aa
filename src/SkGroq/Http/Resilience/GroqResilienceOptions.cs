namespace SkGroq.Http.Resilience;

/// <summary>Settings of retries, circuit breakers and model fallback.</summary>
public sealed class GroqResilienceOptions
{
    /// <summary>Gets or sets a value indicating whether failed requests are retried and fall back to other models.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;
}
