namespace SkGroq.Emulator.RateLimits;

/// <summary>A continuously refilling bucket: <c>limit</c> units per window, refilled at limit/window per second, never above the limit.</summary>
/// <remarks>Pure arithmetic on timestamps handed in; may go negative when actual use exceeds a reservation (Groq then reports 0 remaining).</remarks>
internal struct TokenBucket
{
    private readonly double _perTick;
    private double _available;
    private long _last;

    public TokenBucket(long limit, double windowSeconds, long now, long timestampFrequency)
    {
        Limit = limit;
        WindowSeconds = windowSeconds;
        _perTick = limit / windowSeconds / timestampFrequency;
        _available = limit;
        _last = now;
    }

    public readonly long Limit { get; }

    public readonly double WindowSeconds { get; }

    public readonly bool IsActive => Limit > 0;

    public readonly double Available => _available;

    /// <summary>Gets the whole units left (what <c>x-ratelimit-remaining-*</c> shows).</summary>
    public readonly long Remaining => _available <= 0 ? 0 : (long)Math.Min(Math.Floor(_available), Limit);

    /// <summary>Gets the units in use as Groq's messages show them: limit − remaining.</summary>
    public readonly long Used => Limit - Remaining;

    public readonly long ResetNanoseconds => RateLimitMath.ResetNanoseconds(Limit, Remaining, WindowSeconds);

    public void Refill(long now)
    {
        if (now > _last)
        {
            _available = Math.Min(Limit, _available + ((now - _last) * _perTick));
            _last = now;
        }
    }

    public readonly bool Fits(long amount) => Remaining >= amount;

    public void Take(long amount) => _available -= amount;

    public void Give(long amount) => _available = Math.Min(Limit, _available + amount);
}
