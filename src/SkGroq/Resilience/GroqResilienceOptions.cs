using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SkGroq.Resilience;

/// <summary>Settings of retries, circuit breakers and model fallback (<c>Groq:Resilience</c>).</summary>
/// <remarks>
/// The request's deadline (<c>Groq:RequestTimeout</c>, or the ambient <c>GroqRequestOptions.Timeout</c>) bounds everything:
/// no retry waits past it and no fallback starts after it. The fallback chains themselves are <c>Groq:Fallbacks</c>.
/// </remarks>
public sealed class GroqResilienceOptions
{
    /// <summary>Gets or sets a value indicating whether failed requests are retried, circuits break per model, and requests fall back to other models.</summary>
    /// <value>The default is <see langword="true"/>. With <see langword="false"/> every request is sent once; the deadline still applies.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many times a failed attempt is retried on the same model (connection failures, first-byte timeouts, 408, 429, 498, 5xx).</summary>
    /// <value>The default is 2 (three attempts in all, as Groq's SDKs). 0 sends each request once per model.</value>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = GroqResilienceDefaults.MaxRetryAttempts;

    /// <summary>Gets or sets the backoff before the first retry; each further retry doubles it, up to <see cref="MaxDelay"/>.</summary>
    /// <value>The default is 0.5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan BaseDelay { get; set; } = GroqResilienceDefaults.BaseDelay;

    /// <summary>Gets or sets the longest backoff between two attempts (a server's <c>retry-after</c> may ask for longer; the deadline caps it).</summary>
    /// <value>The default is 8 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = GroqResilienceDefaults.MaxDelay;

    /// <summary>Gets or sets a value indicating whether backoffs are shortened by a random share of up to 25 %, so clients that failed together do not retry together.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UseJitter { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a flex-tier request that meets 498 (flex capacity exceeded) is sent again at once as <c>service_tier: "on_demand"</c>, before any model fallback.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool FlexFallbackToOnDemand { get; set; } = true;

    /// <summary>Gets the settings of the circuit breaker kept per model.</summary>
    [ValidateObjectMembers]
    public GroqCircuitBreakerOptions CircuitBreaker { get; } = new();
}
