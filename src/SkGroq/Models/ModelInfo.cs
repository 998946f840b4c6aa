namespace SkGroq.Models;

/// <summary>What the catalog knows about one model.</summary>
/// <param name="Id">The model id as Groq spells it, e.g. <c>llama-3.1-8b-instant</c>.</param>
public sealed record ModelInfo(string Id)
{
    /// <summary>Gets the owner, e.g. <c>Meta</c>.</summary>
    public string? OwnedBy { get; init; }

    /// <summary>Gets the context window: prompt and completion tokens together.</summary>
    public int ContextWindow { get; init; }

    /// <summary>Gets the largest <c>max_completion_tokens</c> the model accepts.</summary>
    public int MaxCompletionTokens { get; init; }

    /// <summary>Gets the tokenizer family (<c>llama3</c>, <c>gpt-oss</c>, <c>qwen3</c>, <c>llama4</c>, <c>kimi</c>); <see langword="null"/> when unknown.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>Gets a value indicating whether Groq lists the model as active.</summary>
    public bool Active { get; init; } = true;

    /// <summary>Gets a value indicating whether the model was retired (requests fail with <c>model_decommissioned</c>).</summary>
    public bool Decommissioned { get; init; }

    /// <summary>Gets the default limits on the free plan.</summary>
    public ModelLimits FreeLimits { get; init; }

    /// <summary>Gets the default limits on the developer plan.</summary>
    public ModelLimits DeveloperLimits { get; init; }

    /// <summary>Gets the prices; <see langword="null"/> when unknown (cost is then reported as unknown, never 0).</summary>
    public ModelPricing? Pricing { get; init; }

    /// <summary>Gets the default limits on a plan.</summary>
    /// <param name="tier">The plan.</param>
    /// <returns>The limits.</returns>
    public ModelLimits LimitsFor(GroqTier tier) => tier == GroqTier.Developer ? DeveloperLimits : FreeLimits;
}
