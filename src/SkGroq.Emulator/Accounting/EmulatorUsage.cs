namespace SkGroq.Emulator.Accounting;

/// <summary>What the emulator received from, and charged to, one API key for one model.</summary>
/// <param name="ApiKey">The key, redacted (<c>gsk_…a1b2</c>).</param>
/// <param name="Organization">The organization of the key.</param>
/// <param name="Model">The model requested.</param>
public sealed record EmulatorUsage(string ApiKey, string Organization, string Model)
{
    /// <summary>Gets the chat-completion requests received (every outcome).</summary>
    public long Requests { get; init; }

    /// <summary>Gets the requests answered in full (HTTP 200 and, for streams, <c>[DONE]</c> sent).</summary>
    public long Succeeded { get; init; }

    /// <summary>Gets the prompt tokens charged.</summary>
    public long PromptTokens { get; init; }

    /// <summary>Gets the completion tokens charged.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Gets prompt plus completion tokens charged.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Gets the 429 answers of the rate limiter.</summary>
    public long RateLimited { get; init; }

    /// <summary>Gets the 413 "Request too large" answers.</summary>
    public long TooLarge { get; init; }

    /// <summary>Gets the injected faults.</summary>
    public long Faults { get; init; }

    /// <summary>Gets other refusals (400, 404).</summary>
    public long Rejected { get; init; }

    /// <summary>Gets the admitted answers that did not complete (mid-stream fault, client gone); charged only with <see cref="EmulatorBehavior.ChargeIncompleteStreams"/>.</summary>
    public long Incomplete { get; init; }
}
