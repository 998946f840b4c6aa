using SkGroq.Errors;
using SkGroq.Models;

namespace SkGroq.RateLimiting;

/// <summary>
/// The quota of one organization and model: RPM, RPD, TPM and TPD buckets, a pause after a server 429, and the ledger of
/// in-flight reservations. Pure logic: every method takes the current time as a tick count, nothing reads a clock.
/// </summary>
/// <remarks>
/// Not thread-safe; a store serializes access (the in-memory store locks per instance). A request is admitted only when
/// all four limits admit it at once; otherwise the binding limit is the one with the longest wait.
/// </remarks>
internal sealed partial class ModelQuota
{
    private QuotaBucket _rpm = new(QuotaBucket.MinuteTicks);
    private QuotaBucket _rpd = new(QuotaBucket.DayTicks);
    private QuotaBucket _tpm = new(QuotaBucket.MinuteTicks);
    private QuotaBucket _tpd = new(QuotaBucket.DayTicks);
    private ModelLimits _configured;
    private ModelLimits _learnt;
    private long _pausedUntil = long.MinValue;
    private GroqLimitKind _pauseLimit;

    /// <summary>Initializes a new instance of the <see cref="ModelQuota"/> class.</summary>
    /// <param name="key">The organization and model.</param>
    public ModelQuota(QuotaKey key) => Key = key;

    /// <summary>Gets the organization and model.</summary>
    public QuotaKey Key { get; }

    /// <summary>Gets the lock a store holds around every call (this class itself is not thread-safe).</summary>
    public Lock Gate { get; } = new();

    /// <summary>Gets the limits learnt from Groq (headers and 429 bodies); they win over configured ones.</summary>
    public ModelLimits LearntLimits => _learnt;

    /// <summary>Reserves one request and the request's tokens when all four limits admit them now.</summary>
    /// <param name="request">The request.</param>
    /// <param name="now">The current time in ticks.</param>
    /// <returns>The admission, or the binding limit and when it frees.</returns>
    public QuotaDecision TryReserve(in QuotaRequest request, long now)
    {
        QuotaDecision decision = Evaluate(request, now, out long tokens);
        if (decision.Kind != QuotaDecisionKind.Admitted)
        {
            return decision;
        }

        _rpm.Add(1);
        _rpd.Add(1);
        _tpm.Add(tokens);
        _tpd.Add(tokens);
        return QuotaDecision.Admitted(Record(tokens));
    }

    /// <summary>Says what <see cref="TryReserve"/> would answer now, without reserving.</summary>
    /// <param name="request">The request.</param>
    /// <param name="now">The current time in ticks.</param>
    /// <returns>The decision; an admission carries no reservation.</returns>
    public QuotaDecision Peek(in QuotaRequest request, long now) => Evaluate(request, now, out _);

    /// <summary>Gets the ticks until <paramref name="request"/> would be admitted, ignoring anyone queued before it.</summary>
    /// <param name="request">The request.</param>
    /// <param name="now">The current time in ticks.</param>
    /// <returns>0 when it fits now; <see cref="long.MaxValue"/> when it never fits.</returns>
    public long TicksUntilFits(in QuotaRequest request, long now)
    {
        QuotaDecision decision = Evaluate(request, now, out _);
        return decision.Kind switch
        {
            QuotaDecisionKind.Admitted => 0,
            QuotaDecisionKind.NeverFits => long.MaxValue,
            _ => decision.RetryAfter.Ticks,
        };
    }

    /// <summary>Settles a reservation to the tokens actually used: refunds the difference, or charges it when more was used.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="actualTokens">The tokens Groq counted (prompt + completion − cached prompt tokens).</param>
    /// <param name="now">The current time in ticks.</param>
    /// <returns><see langword="true"/> when this call settled it; <see langword="false"/> when it was settled or released before.</returns>
    public bool Settle(in QuotaReservation reservation, long actualTokens, long now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualTokens);
        if (!TryComplete(reservation, settled: true, out long reserved))
        {
            return false;
        }

        Advance(now);
        long delta = actualTokens - reserved;
        _tpm.Add(delta);
        _tpd.Add(delta);
        return true;
    }

    /// <summary>Gives a reservation back whole: the request was not run (it failed, was refused or cancelled before Groq counted it).</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="now">The current time in ticks.</param>
    /// <returns><see langword="true"/> when this call released it; <see langword="false"/> when it was settled or released before.</returns>
    public bool Release(in QuotaReservation reservation, long now)
    {
        if (!TryComplete(reservation, settled: false, out long reserved))
        {
            return false;
        }

        Advance(now);
        _rpm.Add(-1);
        _rpd.Add(-1);
        _tpm.Add(-reserved);
        _tpd.Add(-reserved);
        return true;
    }

    /// <summary>Holds back every admission until <paramref name="duration"/> has passed (after a server 429); a longer pause in force is kept.</summary>
    /// <param name="duration">How long to pause.</param>
    /// <param name="limit">The limit the server named, reported as the binding limit meanwhile.</param>
    /// <param name="now">The current time in ticks.</param>
    public void Pause(TimeSpan duration, GroqLimitKind limit, long now)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        long until = duration.Ticks >= long.MaxValue - now ? long.MaxValue : now + duration.Ticks;
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
            _pauseLimit = limit;
        }
    }

    /// <summary>Gets the state of every limit now.</summary>
    /// <param name="now">The current time in ticks.</param>
    /// <returns>The snapshot.</returns>
    public QuotaSnapshot Snapshot(long now)
    {
        Advance(now);
        return new QuotaSnapshot(
            Level(_rpm),
            Level(_rpd),
            Level(_tpm),
            Level(_tpd),
            _pausedUntil > now ? TimeSpan.FromTicks(_pausedUntil - now) : TimeSpan.Zero,
            InFlightCount,
            InFlightTokens);

        static QuotaLevel Level(in QuotaBucket bucket) => new(bucket.IsLimited ? bucket.Limit : null, bucket.Used);
    }

    private QuotaDecision Evaluate(in QuotaRequest request, long now, out long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.MinimumTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Tokens, request.MinimumTokens);
        Advance(now);
        ApplyLimits(request.Limits);

        // A request larger than a token limit can never be admitted (Groq answers 413); waiting would hang forever.
        // Without max tokens the completion part is a guess: lower it to what the limit can hold instead of refusing.
        tokens = request.Tokens;
        GroqLimitKind capKind = GroqLimitKind.Unknown;
        long cap = long.MaxValue;
        if (_tpm.IsLimited)
        {
            (cap, capKind) = (_tpm.Limit, GroqLimitKind.TokensPerMinute);
        }

        if (_tpd.IsLimited && _tpd.Limit < cap)
        {
            (cap, capKind) = (_tpd.Limit, GroqLimitKind.TokensPerDay);
        }

        if (request.MinimumTokens > cap)
        {
            return QuotaDecision.NeverFits(capKind, cap, request.MinimumTokens);
        }

        tokens = Math.Min(tokens, cap);

        long wait = 0;
        GroqLimitKind binding = GroqLimitKind.Unknown;
        long? bindingValue = null;
        long requested = 0;
        if (!request.Overdraft)
        {
            Consider(_rpm.TicksUntilFits(1), GroqLimitKind.RequestsPerMinute, _rpm.Limit, 1, ref wait, ref binding, ref bindingValue, ref requested);
            Consider(_tpm.TicksUntilFits(tokens), GroqLimitKind.TokensPerMinute, _tpm.Limit, tokens, ref wait, ref binding, ref bindingValue, ref requested);
            Consider(_rpd.TicksUntilFits(1), GroqLimitKind.RequestsPerDay, _rpd.Limit, 1, ref wait, ref binding, ref bindingValue, ref requested);
            Consider(_tpd.TicksUntilFits(tokens), GroqLimitKind.TokensPerDay, _tpd.Limit, tokens, ref wait, ref binding, ref bindingValue, ref requested);
        }

        // A pause is the server's own word (a 429's wait): it holds back an overdraft too.
        if (_pausedUntil > now)
        {
            Consider(_pausedUntil - now, _pauseLimit, LimitOf(_pauseLimit), PauseRequested(_pauseLimit, tokens), ref wait, ref binding, ref bindingValue, ref requested);
        }

        return wait == 0
            ? QuotaDecision.Admitted(new QuotaReservation(Key, 0, tokens))
            : QuotaDecision.MustWait(binding, bindingValue, requested, TimeSpan.FromTicks(wait));

        static void Consider(long ticks, GroqLimitKind kind, long limit, long amount, ref long wait, ref GroqLimitKind binding, ref long? value, ref long requested)
        {
            if (ticks > wait)
            {
                wait = ticks;
                binding = kind;
                value = limit > 0 ? limit : null;
                requested = amount;
            }
        }

        static long PauseRequested(GroqLimitKind kind, long tokens)
            => kind is GroqLimitKind.RequestsPerMinute or GroqLimitKind.RequestsPerDay ? 1 : tokens;
    }

    private long LimitOf(GroqLimitKind kind) => kind switch
    {
        GroqLimitKind.RequestsPerMinute => _rpm.Limit,
        GroqLimitKind.RequestsPerDay => _rpd.Limit,
        GroqLimitKind.TokensPerMinute => _tpm.Limit,
        GroqLimitKind.TokensPerDay => _tpd.Limit,
        _ => 0,
    };

    private void Advance(long now)
    {
        _rpm.Advance(now);
        _rpd.Advance(now);
        _tpm.Advance(now);
        _tpd.Advance(now);
    }

    private void ApplyLimits(in ModelLimits configured)
    {
        _configured = configured;
        ApplyEffectiveLimits();
    }

    private void ApplyEffectiveLimits()
    {
        // Limits learnt from Groq win over the catalog: the published table is a snapshot, the headers are live (§5.5).
        SetLimit(ref _rpm, _learnt.RequestsPerMinute ?? _configured.RequestsPerMinute);
        SetLimit(ref _rpd, _learnt.RequestsPerDay ?? _configured.RequestsPerDay);
        SetLimit(ref _tpm, _learnt.TokensPerMinute ?? _configured.TokensPerMinute);
        SetLimit(ref _tpd, _learnt.TokensPerDay ?? _configured.TokensPerDay);

        static void SetLimit(ref QuotaBucket bucket, long? limit)
        {
            long value = limit is > 0 ? limit.Value : 0;
            if (bucket.Limit != value)
            {
                bucket.SetLimit(value);
            }
        }
    }
}
