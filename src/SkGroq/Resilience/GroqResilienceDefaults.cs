namespace SkGroq.Resilience;

/// <summary>Default values of <see cref="GroqResilienceOptions"/> and <see cref="GroqCircuitBreakerOptions"/>.</summary>
/// <remarks>Retry count and backoff follow Groq's official SDKs (docs/GROQ-API.md §6.3), so users moving from them see the same behaviour.</remarks>
internal static class GroqResilienceDefaults
{
    /// <summary>Retries after the first attempt: 2, as Groq's SDKs (three attempts in all).</summary>
    public const int MaxRetryAttempts = 2;

    /// <summary>The share of the backoff that jitter may take off: 0.25, as Groq's SDKs (<c>delay × (1 − 0.25·random)</c>).</summary>
    public const double JitterFactor = 0.25;

    /// <summary>The failure ratio over <see cref="CircuitBreakerSamplingDuration"/> that opens a model's circuit.</summary>
    public const double CircuitBreakerFailureRatio = 0.5;

    /// <summary>The attempts a model must have had within <see cref="CircuitBreakerSamplingDuration"/> before its circuit may open.</summary>
    public const int CircuitBreakerMinimumThroughput = 10;

    /// <summary>Gets the backoff before the first retry: 0.5 s, as Groq's SDKs.</summary>
    public static TimeSpan BaseDelay { get; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Gets the longest backoff: 8 s, as Groq's SDKs.</summary>
    public static TimeSpan MaxDelay { get; } = TimeSpan.FromSeconds(8);

    /// <summary>Gets the window over which a model's failure ratio is measured.</summary>
    public static TimeSpan CircuitBreakerSamplingDuration { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets how long an open circuit stops requests to its model before one probe is let through.</summary>
    public static TimeSpan CircuitBreakerBreakDuration { get; } = TimeSpan.FromSeconds(15);
}
