namespace SkGroq.Console.Chaos;

/// <summary>What <c>bench chaos</c> sends, and the timeouts it runs the pipeline with.</summary>
/// <param name="Requests">The number of requests.</param>
/// <param name="FaultRate">The share of attempts the emulator answers with a fault (0–1), spread evenly over <see cref="ChaosFaultMix.Faults"/>.</param>
/// <param name="Seed">The seed of the request mix and of the emulator's fault draws.</param>
/// <param name="Concurrency">How many requests are in flight at once.</param>
internal sealed record ChaosSettings(int Requests, double FaultRate, int Seed = 1, int Concurrency = 32)
{
    /// <summary>The failure ratio at which the pipeline opens a model's circuit (<c>Groq:Resilience:CircuitBreaker:FailureRatio</c>, default).</summary>
    public const double CircuitBreakerFailureRatio = 0.5;

    /// <summary>Gets the model asked; <see cref="Fallback"/> answers when it is over capacity or its retries are exhausted.</summary>
    public string Model { get; init; } = "llama-3.1-8b-instant";

    /// <summary>Gets the fallback model.</summary>
    public string Fallback { get; init; } = "llama-3.3-70b-versatile";

    /// <summary>Gets the share of requests that stream.</summary>
    public double StreamShare { get; init; } = 0.5;

    /// <summary>Gets the share of requests that repeat one of a few questions (answered by the response cache once cached).</summary>
    public double RepeatShare { get; init; } = 0.1;

    /// <summary>Gets each request's deadline (<c>GroqRequestOptions.Timeout</c>): queueing, retries and fallback included.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the time an attempt may wait for Groq's first byte (<c>Groq:Inspection:FirstByteTimeout</c>).</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets the time a stream may stay silent (<c>Groq:Inspection:StreamIdleTimeout</c>).</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how long the <c>slow-ttft</c> and <c>stall</c> faults hold the answer back: longer than both timeouts.</summary>
    public TimeSpan FaultDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the slack allowed beyond a request's bound for a busy machine's scheduling before the request counts as late.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets how long beyond its bound a request may run before the watchdog cancels it and counts a hang.</summary>
    public TimeSpan HangAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the latest a request may end: the deadline covers everything up to the answer's headers; after that a stream ends or goes silent for at most the idle timeout.</summary>
    public TimeSpan Bound => Deadline + StreamIdleTimeout;
}
