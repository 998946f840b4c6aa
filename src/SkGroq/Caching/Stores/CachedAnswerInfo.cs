namespace SkGroq.Caching.Stores;

/// <summary>What the cache keeps about a stored answer besides its bytes.</summary>
/// <param name="StoredAt">When the answer was stored (its age decides freshness).</param>
/// <param name="Model">The model that answered.</param>
/// <param name="FinishReason">The finish reason.</param>
/// <param name="PromptTokens">The prompt tokens Groq reported for the original request (what a hit saves).</param>
/// <param name="CompletionTokens">The completion tokens Groq reported.</param>
internal sealed record CachedAnswerInfo(DateTimeOffset StoredAt, string? Model, string? FinishReason, long PromptTokens, long CompletionTokens)
{
    /// <summary>Gets the tokens a hit saves: the original's prompt plus completion tokens.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;
}
