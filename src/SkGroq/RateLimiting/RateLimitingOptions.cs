using System.ComponentModel.DataAnnotations;

namespace SkGroq.RateLimiting;

/// <summary>Settings of the rate limiter and request queue (section <c>Groq:RateLimiting</c>).</summary>
/// <remarks>
/// The limits themselves come from the model catalog for the configured <c>Groq:Tier</c>, overridden per model under
/// <c>Groq:Models:&lt;id&gt;</c> (<c>RequestsPerMinute</c>, <c>RequestsPerDay</c>, <c>TokensPerMinute</c>, <c>TokensPerDay</c>),
/// and are replaced by what Groq's <c>x-ratelimit-*</c> headers and 429 bodies report. Quota is kept per organization
/// (<c>Groq:Organization</c>, else a fingerprint of the API key) and model.
/// <para>Validated at start-up: a value out of range fails with "The field GroqOptions.RateLimiting.&lt;Name&gt; must be between …".
/// (The options source generator ignores custom <c>ErrorMessage</c>s on <c>[Range]</c>, so none are given.)</para>
/// </remarks>
public sealed class RateLimitingOptions
{
    /// <summary>Gets or sets a value indicating whether requests are queued to stay within Groq's limits.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the most requests that may wait for quota per model; one more is refused at once with a <c>queue_full</c> error.</summary>
    /// <value>The default is 1,000.</value>
    [Range(1, 1_000_000)]
    public int MaxQueueLength { get; set; } = RateLimitingDefaults.MaxQueueLength;

    /// <summary>
    /// Gets or sets the completion tokens reserved, on top of the estimated prompt, for a request that sets no max tokens.
    /// The reservation is settled to the real usage when the answer ends; it is capped by the model's largest completion and
    /// lowered to the tokens/minute limit when it would exceed it (only the prompt must fit).
    /// </summary>
    /// <value>
    /// The default is 1,024: the starting value. With <see cref="LearnMaxTokensReservation"/> it is replaced per model by the
    /// completions actually seen.
    /// </value>
    [Range(0, 10_000_000)]
    public int DefaultMaxTokensReservation { get; set; } = RateLimitingDefaults.DefaultMaxTokensReservation;

    /// <summary>
    /// Gets or sets a value indicating whether the reservation for requests without max tokens is learnt per model: once 16
    /// answers to such requests were seen, the 95th percentile of the last 128 completions replaces
    /// <see cref="DefaultMaxTokensReservation"/> (still capped by the model's largest completion and its context window).
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool LearnMaxTokensReservation { get; set; } = true;

    /// <summary>
    /// Gets or sets the tokens (prompt and completion, as billed) one tenant (<see cref="Context.GroqRequestOptions.TenantId"/>)
    /// may use per UTC day; a request of a tenant that spent it is refused with a <see cref="Errors.GroqRateLimitException"/>
    /// (<c>tenant_budget_exceeded</c>) saying when the budget resets. Requests without a tenant are not limited. Counted in this
    /// process (not shared through Redis).
    /// </summary>
    /// <value>The default is <see langword="null"/>: no budget.</value>
    [Range(1, long.MaxValue)]
    public long? TenantDailyTokenBudget { get; set; }
}
