using SkGroq.Models;

namespace SkGroq.RateLimiting;

/// <summary>What one request asks of the quota: one request and a number of tokens, against the model's configured limits.</summary>
/// <param name="Tokens">The tokens to reserve: estimated prompt tokens plus max completion tokens (or the configured default).</param>
/// <param name="MinimumTokens">
/// The part of <paramref name="Tokens"/> that must fit. When the request set no max tokens, the completion part is a guess,
/// so a reservation above the tokens/minute or tokens/day limit is lowered to the limit instead of refused; the request
/// can never fit only when <paramref name="MinimumTokens"/> exceeds the limit. Equal to <paramref name="Tokens"/> when max tokens was set.
/// </param>
/// <param name="Limits">The configured limits (catalog defaults and <c>Groq:Models</c> overrides); limits learnt from Groq win over them.</param>
internal readonly record struct QuotaRequest(long Tokens, long MinimumTokens, ModelLimits Limits)
{
    /// <summary>
    /// Gets a value indicating whether the request is admitted past the local estimate of the four limits: the server named the
    /// time it takes the request again (a 429's wait) and that time has come. Only a pause the server reported holds it back,
    /// and a request larger than a limit still never fits. Its reservation is counted like any other, so the buckets may run
    /// above their limits until they refill.
    /// </summary>
    public bool Overdraft { get; init; }

    /// <summary>
    /// Gets the tenant the request is for (<see cref="Context.GroqRequestOptions.TenantId"/>); <see langword="null"/> for none.
    /// Waiting requests of one priority are served in turn across tenants, so one tenant's backlog does not hold up another's
    /// first request. The quota stores never see it.
    /// </summary>
    public string? Tenant { get; init; }

    /// <summary>Creates a request whose whole reservation must fit.</summary>
    /// <param name="tokens">The tokens to reserve.</param>
    /// <param name="limits">The configured limits.</param>
    /// <returns>The request.</returns>
    public static QuotaRequest Exact(long tokens, ModelLimits limits) => new(tokens, tokens, limits);
}
