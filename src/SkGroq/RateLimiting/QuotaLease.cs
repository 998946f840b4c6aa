using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>A reservation handed out by <see cref="QuotaLimiter"/>: settle it to the actual usage, or release it, exactly once.</summary>
internal readonly struct QuotaLease
{
    private readonly QuotaLimiter? _limiter;
    private readonly QuotaQueue? _queue;

    internal QuotaLease(QuotaLimiter limiter, QuotaQueue queue, QuotaReservation reservation, TimeSpan wait, GroqLimitKind waitedFor)
    {
        _limiter = limiter;
        _queue = queue;
        Reservation = reservation;
        Wait = wait;
        WaitedFor = waitedFor;
    }

    /// <summary>Gets the reservation held.</summary>
    public QuotaReservation Reservation { get; }

    /// <summary>Gets how long the request waited in the queue; zero on the fast path.</summary>
    public TimeSpan Wait { get; }

    /// <summary>Gets the limit that bound the wait last; <see cref="GroqLimitKind.Unknown"/> when the request did not wait for a limit.</summary>
    public GroqLimitKind WaitedFor { get; }

    /// <summary>Settles the reservation to the tokens actually used and wakes requests that may now fit.</summary>
    /// <param name="actualTokens">The tokens Groq counted.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns><see langword="true"/> when this call settled it.</returns>
    public ValueTask<bool> SettleAsync(long actualTokens, CancellationToken cancellationToken = default)
        => _limiter is null ? new(false) : _limiter.SettleAsync(_queue!, Reservation, actualTokens, cancellationToken);

    /// <summary>Gives the reservation back whole and wakes requests that may now fit.</summary>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns><see langword="true"/> when this call released it.</returns>
    public ValueTask<bool> ReleaseAsync(CancellationToken cancellationToken = default)
        => _limiter is null ? new(false) : _limiter.ReleaseAsync(_queue!, Reservation, cancellationToken);
}
