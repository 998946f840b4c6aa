namespace SkGroq.Emulator.RateLimits;

/// <summary>The six <c>x-ratelimit-*</c> values: requests = RPD, tokens = TPM (a limit of 0 means the header set is absent).</summary>
internal readonly record struct RateLimitHeaderValues(
    long LimitRequests,
    long RemainingRequests,
    long ResetRequestsNanoseconds,
    long LimitTokens,
    long RemainingTokens,
    long ResetTokensNanoseconds)
{
    public bool HasRequests => LimitRequests > 0;

    public bool HasTokens => LimitTokens > 0;

    public bool IsEmpty => !HasRequests && !HasTokens;
}
