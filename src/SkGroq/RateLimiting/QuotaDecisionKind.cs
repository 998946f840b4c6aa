namespace SkGroq.RateLimiting;

/// <summary>What the quota said to one reservation attempt.</summary>
internal enum QuotaDecisionKind
{
    /// <summary>Every limit admitted the request; the reservation is held.</summary>
    Admitted,

    /// <summary>A limit (or a pause after a server 429) holds the request back until <see cref="QuotaDecision.RetryAfter"/>.</summary>
    MustWait,

    /// <summary>The request is larger than a limit can ever admit; waiting would never help.</summary>
    NeverFits,
}
