namespace SkGroq.Emulator;

/// <summary>
/// Switches for Groq behaviour that docs/GROQ-API.md marks unconfirmed or that changed over time.
/// The defaults follow the most recent recordings (2026).
/// </summary>
public sealed class EmulatorBehavior
{
    /// <summary>Gets or sets a value indicating whether <c>stream_options</c> is accepted (2025+) instead of rejected with 400 "property 'stream_options' is unsupported, did you mean 'stream'?" (2024).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AcceptStreamOptions { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the finish chunk carries a top-level <c>usage</c> next to <c>x_groq.usage</c> (2026) rather than <c>x_groq.usage</c> only (2024).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool UsageOnFinishChunk { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether responses carry <c>service_tier</c> (2026; absent in 2025 recordings).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool ServiceTierInResponse { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <c>usage_breakdown</c> is <c>{"models":null}</c> (2025) instead of <c>null</c> (2026).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool UsageBreakdownModelsNull { get; set; }

    /// <summary>Gets or sets the completion tokens reserved against TPM/TPD when a request sets neither <c>max_completion_tokens</c> nor <c>max_tokens</c> (UNCONFIRMED; Groq evidently does not reserve the model maximum).</summary>
    /// <value>The default is 0: only the prompt is reserved; the completion is charged when it is known.</value>
    public int OmittedMaxTokensReservation { get; set; }

    /// <summary>Gets or sets a value indicating whether a stream that ends early (injected fault, client gone) is charged its tokens. Groq does not bill server errors, so by default it is not.</summary>
    /// <value>The default is <see langword="false"/>: the request still counts against RPM/RPD, its tokens are refunded.</value>
    public bool ChargeIncompleteStreams { get; set; }

    /// <summary>Gets or sets a value indicating whether unknown top-level and message properties are rejected with 400 like Groq does.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RejectUnknownProperties { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether <c>messages[].name</c> is rejected (UNCONFIRMED; Groq's docs say 400, integrators see it accepted).</summary>
    /// <value>The default is <see langword="false"/>: accepted and ignored.</value>
    public bool RejectMessageName { get; set; }

    /// <summary>Gets or sets a value indicating whether <c>logprobs</c>, <c>top_logprobs</c> and <c>logit_bias</c> are rejected with 400 (UNCONFIRMED; docs say 400, a 2026 capture shows support).</summary>
    /// <value>The default is <see langword="false"/>: accepted, and <c>logprobs</c> is <c>null</c> in the answer.</value>
    public bool RejectLogprobs { get; set; }

    /// <summary>Gets or sets a value indicating whether free-plan rate-limit messages end with Groq's upgrade sentence ("Need more tokens? Upgrade to Dev Tier today at …").</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RateLimitUpsell { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether tool call ids look like <c>call_ab12</c> (2025) instead of nine lowercase letters and digits such as <c>tk85n1k4m</c> (2026).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool LegacyToolCallIds { get; set; }
}
