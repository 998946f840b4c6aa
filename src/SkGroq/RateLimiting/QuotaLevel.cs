namespace SkGroq.RateLimiting;

/// <summary>The state of one limit at one moment.</summary>
/// <param name="Limit">The effective limit (learnt from Groq, else configured); <see langword="null"/> when not limited locally.</param>
/// <param name="Used">The amount counted against it now (whole units, rounded up), in-flight reservations included.</param>
internal readonly record struct QuotaLevel(long? Limit, long Used)
{
    /// <summary>Gets the amount still available, or <see langword="null"/> when not limited.</summary>
    public long? Available => Limit is { } limit ? Math.Max(0, limit - Used) : null;
}
