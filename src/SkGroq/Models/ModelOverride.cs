namespace SkGroq.Models;

/// <summary>A configured override of (or addition to) one catalog entry; every unset value keeps the built-in one.</summary>
public sealed class ModelOverride
{
    /// <summary>Gets or sets the context window in tokens.</summary>
    public int? ContextWindow { get; set; }

    /// <summary>Gets or sets the largest accepted <c>max_completion_tokens</c>.</summary>
    public int? MaxCompletionTokens { get; set; }

    /// <summary>Gets or sets the tokenizer family (<c>llama3</c>, <c>gpt-oss</c>, <c>qwen3</c>, <c>llama4</c>, <c>kimi</c>).</summary>
    public string? Tokenizer { get; set; }

    /// <summary>Gets or sets a value indicating whether the model is retired.</summary>
    public bool? Decommissioned { get; set; }

    /// <summary>Gets or sets requests per minute on the configured plan.</summary>
    public long? RequestsPerMinute { get; set; }

    /// <summary>Gets or sets requests per day on the configured plan.</summary>
    public long? RequestsPerDay { get; set; }

    /// <summary>Gets or sets tokens per minute on the configured plan.</summary>
    public long? TokensPerMinute { get; set; }

    /// <summary>Gets or sets tokens per day on the configured plan.</summary>
    public long? TokensPerDay { get; set; }

    /// <summary>Gets or sets the price of a million prompt tokens in US dollars.</summary>
    public decimal? InputPricePerMillion { get; set; }

    /// <summary>Gets or sets the price of a million completion tokens in US dollars.</summary>
    public decimal? OutputPricePerMillion { get; set; }

    /// <summary>Gets or sets the price of a million cached prompt tokens in US dollars.</summary>
    public decimal? CachedInputPricePerMillion { get; set; }
}
