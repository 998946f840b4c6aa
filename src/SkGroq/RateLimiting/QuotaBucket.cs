namespace SkGroq.RateLimiting;

/// <summary>
/// One continuously refilling bucket: capacity <see cref="Limit"/>, refilled at <see cref="Limit"/> per window — the shape
/// Groq's <c>x-ratelimit-reset-*</c> headers fit exactly (reset = used / limit × window, docs/GROQ-API.md §5.2).
/// </summary>
/// <remarks>
/// Pure arithmetic: time comes in as a tick count, nothing reads a clock. The state is kept exactly, as the debt
/// <c>used × windowTicks</c> in <see cref="Int128"/>: refill lowers it by <see cref="Limit"/> per elapsed tick, so no rounding
/// ever admits a token too many (a day of ticks times a large token limit overflows <see cref="long"/>).
/// A bucket without a limit admits everything and counts nothing: an unknown limit is learnt from the server's figures,
/// which already include what was sent.
/// <para>Guard: once the bucket has refilled (its level is then fractional), an admission that would leave it at the exact
/// boundary keeps <see cref="GuardTicks"/> of refill in hand — it waits that much longer, once: the refill kept in hand stays
/// in hand, so a bucket that binds admits at the same rate as without it. Two things put a server a little behind the
/// client's count at a refill boundary. A server that refills in floating point lands a hair short of a whole unit there
/// and refuses (seen against the emulator, whose doubles do exactly that). And the server counts a request when it arrives,
/// the client when it sends: the server's bucket starts refilling when the first request of a burst arrives, later than
/// the client's by that request's transit time — the network, and a busy or just-started server's own work before it
/// counts (a requests-per-minute refusal now and then in real-time runs at 50 requests in flight, the first request of a
/// run reaching the emulator a few hundred milliseconds after it was sent). The guard covers a lag of up to half a second;
/// it delays the first admission of each stretch where a limit binds by that much, never the rate. Levels reached only by
/// whole-unit takes and gives from a full bucket are exact on both sides and need no guard.</para>
/// </remarks>
internal struct QuotaBucket
{
    /// <summary>The ticks in a minute (RPM, TPM).</summary>
    public const long MinuteTicks = TimeSpan.TicksPerMinute;

    /// <summary>The ticks in a day (RPD, TPD).</summary>
    public const long DayTicks = TimeSpan.TicksPerDay;

    /// <summary>The refill an admission keeps in hand when the bucket is not full: half a second's worth.</summary>
    public const long GuardTicks = 500 * TimeSpan.TicksPerMillisecond;

    private readonly long _windowTicks;
    private long _limit;
    private Int128 _debt;
    private long _updatedAt;

    // When the debt last reached zero by refilling (the guard counts from there); long.MinValue when exactly full.
    private long _fullSince = long.MinValue;

    // Whether the level is exact on a server too: only whole units taken from or given to an exactly full bucket.
    private bool _exact = true;

    /// <summary>Initializes a new instance of the <see cref="QuotaBucket"/> struct.</summary>
    /// <param name="windowTicks">The refill window: the bucket refills <see cref="Limit"/> in this many ticks.</param>
    public QuotaBucket(long windowTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowTicks);
        _windowTicks = windowTicks;
    }

    /// <summary>Gets the capacity, which is also the refill per window; 0 when not limited.</summary>
    public readonly long Limit => _limit;

    /// <summary>Gets a value indicating whether the bucket limits anything.</summary>
    public readonly bool IsLimited => _limit > 0;

    /// <summary>Gets the window in ticks.</summary>
    public readonly long WindowTicks => _windowTicks;

    /// <summary>Gets the amount counted now, rounded up to whole units (may exceed the limit after a charge above the reservation).</summary>
    public readonly long Used => IsLimited ? (long)((_debt + _windowTicks - 1) / _windowTicks) : 0;

    /// <summary>Sets the capacity; 0 or less removes the limit (and forgets what was counted).</summary>
    /// <param name="limit">The limit.</param>
    public void SetLimit(long limit)
    {
        if (limit <= 0)
        {
            _limit = 0;
            _debt = Int128.Zero;
            _fullSince = long.MinValue;
            _exact = true;
            return;
        }

        // The debt is in units × ticks and does not depend on the limit, so the amount used is kept across a change.
        _limit = limit;
    }

    /// <summary>Refills for the time elapsed since the last update.</summary>
    /// <param name="now">The current time in ticks (any fixed origin; must not go backwards — earlier values are ignored).</param>
    public void Advance(long now)
    {
        if (now <= _updatedAt)
        {
            return;
        }

        if (IsLimited && _debt > Int128.Zero)
        {
            Int128 refill = (Int128)_limit * (now - _updatedAt);
            _exact = false;
            if (refill >= _debt)
            {
                _fullSince = _updatedAt + (long)((_debt + _limit - 1) / _limit);
                _debt = Int128.Zero;
            }
            else
            {
                _debt -= refill;
            }
        }

        _updatedAt = now;
    }

    /// <summary>Gets a value indicating whether <paramref name="amount"/> fits now, guard included (call <see cref="Advance"/> first).</summary>
    /// <param name="amount">The amount.</param>
    /// <returns><see langword="true"/> when admitting it keeps the bucket within its limit.</returns>
    public readonly bool Fits(long amount) => TicksUntilFits(amount) == 0;

    /// <summary>Gets the ticks until <paramref name="amount"/> fits, guard included (call <see cref="Advance"/> first).</summary>
    /// <param name="amount">The amount.</param>
    /// <returns>0 when it fits now; <see cref="long.MaxValue"/> when it never fits (larger than the limit).</returns>
    public readonly long TicksUntilFits(long amount)
    {
        if (!IsLimited)
        {
            return 0;
        }

        if (amount > _limit)
        {
            return long.MaxValue;
        }

        if (amount == _limit)
        {
            // The whole limit: the bucket must be full, and for the guard's time if it got there by refilling.
            long untilFull = (long)Int128.Min((_debt + _limit - 1) / _limit, long.MaxValue / 2);
            long fullAt = _debt > Int128.Zero ? _updatedAt + untilFull : _fullSince;
            return fullAt == long.MinValue ? 0 : Math.Max(0, fullAt + GuardTicks - _updatedAt);
        }

        // An exact level that fits needs no guard; anything that must wait for refill is fractional by then.
        if (_exact && _debt <= ((Int128)_limit - amount) * _windowTicks)
        {
            return 0;
        }

        Int128 excess = _debt - MaxDebtToAdmit(amount);
        if (excess <= Int128.Zero)
        {
            return 0;
        }

        // Round up: at the returned time the amount fits exactly, never a tick early.
        Int128 ticks = (excess + _limit - 1) / _limit;
        return ticks >= long.MaxValue ? long.MaxValue - 1 : (long)ticks;
    }

    /// <summary>Counts <paramref name="amount"/> (negative to give back); the bucket never holds more than it can (used never goes below zero).</summary>
    /// <param name="amount">The amount.</param>
    public void Add(long amount)
    {
        if (!IsLimited || amount == 0)
        {
            return;
        }

        _debt += (Int128)amount * _windowTicks;
        if (_debt <= Int128.Zero)
        {
            // A refund that fills the bucket fills it exactly, on the server too (it clamps to the limit).
            _debt = Int128.Zero;
            _fullSince = long.MinValue;
            _exact = true;
        }
    }

    /// <summary>Raises the amount counted to at least <paramref name="used"/> (a server's view that is ahead of ours); never lowers it.</summary>
    /// <param name="used">The amount the server counts, plus what it has not seen yet.</param>
    /// <returns><see langword="true"/> when the bucket changed.</returns>
    public bool RaiseUsedTo(long used)
    {
        if (!IsLimited)
        {
            return false;
        }

        Int128 target = (Int128)Math.Max(0, used) * _windowTicks;
        if (target <= _debt)
        {
            return false;
        }

        _debt = target;
        _exact = false;
        return true;
    }

    /// <summary>
    /// The largest debt at which <paramref name="amount"/> (below the limit) is admitted: the debt d with d + min(guard, d) + amount
    /// no more than the capacity, the guard being <see cref="GuardTicks"/> of refill. Monotonic in d, so a wait always ends.
    /// </summary>
    private readonly Int128 MaxDebtToAdmit(long amount)
    {
        Int128 room = ((Int128)_limit - amount) * _windowTicks;
        Int128 guard = (Int128)_limit * GuardTicks;
        return room >= 2 * guard ? room - guard : room / 2;
    }
}
