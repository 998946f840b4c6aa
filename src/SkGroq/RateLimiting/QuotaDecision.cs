using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>The answer of a quota store to a reservation attempt: admitted, or which limit binds and when it frees.</summary>
internal readonly struct QuotaDecision
{
    private QuotaDecision(QuotaDecisionKind kind, QuotaReservation reservation, GroqLimitKind limit, long? limitValue, long requested, TimeSpan retryAfter)
    {
        Kind = kind;
        Reservation = reservation;
        Limit = limit;
        LimitValue = limitValue;
        Requested = requested;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets what the store decided.</summary>
    public QuotaDecisionKind Kind { get; }

    /// <summary>Gets a value indicating whether the request was admitted.</summary>
    public bool IsAdmitted => Kind == QuotaDecisionKind.Admitted;

    /// <summary>Gets the reservation held, when admitted.</summary>
    public QuotaReservation Reservation { get; }

    /// <summary>Gets the binding limit (the one with the longest wait), when not admitted.</summary>
    public GroqLimitKind Limit { get; }

    /// <summary>Gets the value of the binding limit, when known.</summary>
    public long? LimitValue { get; }

    /// <summary>Gets the amount the request asked of the binding limit (tokens, or 1 request).</summary>
    public long Requested { get; }

    /// <summary>Gets how long until the binding limit admits the request, measured on the store's clock; zero when admitted.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Creates an admission.</summary>
    public static QuotaDecision Admitted(QuotaReservation reservation) => new(QuotaDecisionKind.Admitted, reservation, GroqLimitKind.Unknown, null, reservation.Tokens, TimeSpan.Zero);

    /// <summary>Creates a decision that the request must wait.</summary>
    public static QuotaDecision MustWait(GroqLimitKind limit, long? limitValue, long requested, TimeSpan retryAfter) => new(QuotaDecisionKind.MustWait, default, limit, limitValue, requested, retryAfter);

    /// <summary>Creates a decision that the request can never fit.</summary>
    public static QuotaDecision NeverFits(GroqLimitKind limit, long limitValue, long requested) => new(QuotaDecisionKind.NeverFits, default, limit, limitValue, requested, TimeSpan.MaxValue);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        QuotaDecisionKind.Admitted => $"admitted {Reservation.Tokens} tokens",
        QuotaDecisionKind.MustWait => $"wait {RetryAfter} for {Limit.ToAbbreviation()}",
        _ => $"never fits {Limit.ToAbbreviation()} (limit {LimitValue}, requested {Requested})",
    };
}
