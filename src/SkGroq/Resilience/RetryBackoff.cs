namespace SkGroq.Resilience;

/// <summary>The wait before a retry: the server's <c>retry-after</c> when it sent one, else exponential backoff with jitter.</summary>
/// <remarks>
/// <c>backoff(n) = min(BaseDelay · 2ⁿ, MaxDelay) · (1 − 0.25 · u)</c> for retry n = 0, 1, … and u uniform in [0, 1) (0 without
/// jitter) — Groq's SDKs' formula (docs/GROQ-API.md §6.3): 0.375–0.5 s, 0.75–1 s, 1.5–2 s, … capped at 8 s. A server hint
/// (<c>retry-after-ms</c>, the 429 message's "try again in", <c>retry-after</c>) replaces the backoff as is: Groq knows when its
/// bucket refills. Waits are whole milliseconds, the resolution of the timer that waits them: a server hint is rounded up
/// (never wait less than asked: "try again in 16.239999999s" waits 16.240 s), a backoff down. Whether the wait fits the
/// request's deadline is the caller's decision.
/// </remarks>
internal static class RetryBackoff
{
    /// <summary>Gets the wait before retry <paramref name="retryIndex"/>.</summary>
    /// <param name="retryIndex">0 for the first retry.</param>
    /// <param name="retryAfter">The server's hint, if any.</param>
    /// <param name="baseDelay">The first backoff.</param>
    /// <param name="maxDelay">The longest backoff.</param>
    /// <param name="jitter">A sample in [0, 1) that shortens the backoff by up to <see cref="GroqResilienceDefaults.JitterFactor"/>; 0 for none.</param>
    /// <returns>The wait.</returns>
    public static TimeSpan Next(int retryIndex, TimeSpan? retryAfter, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
        => retryAfter is { } hint && hint >= TimeSpan.Zero
            ? TimeSpan.FromMilliseconds(Math.Ceiling(hint.TotalMilliseconds))
            : Backoff(retryIndex, baseDelay, maxDelay, jitter);

    /// <summary>Gets the exponential backoff before retry <paramref name="retryIndex"/>, without a server hint.</summary>
    /// <param name="retryIndex">0 for the first retry.</param>
    /// <param name="baseDelay">The first backoff.</param>
    /// <param name="maxDelay">The longest backoff.</param>
    /// <param name="jitter">A sample in [0, 1); 0 for none.</param>
    /// <returns>The backoff.</returns>
    public static TimeSpan Backoff(int retryIndex, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retryIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(jitter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(jitter, 1.0);

        // In ticks as double: 2^n overflows nothing before the cap applies (MaxDelay is at most minutes).
        double exponential = baseDelay.Ticks * Math.Pow(2, Math.Min(retryIndex, 62));
        double capped = Math.Min(exponential, maxDelay.Ticks);
        double ticks = capped * (1 - (GroqResilienceDefaults.JitterFactor * jitter));
        return TimeSpan.FromMilliseconds(Math.Floor(ticks / TimeSpan.TicksPerMillisecond));
    }
}
