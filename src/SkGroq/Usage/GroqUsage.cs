namespace SkGroq.Usage;

/// <summary>Token usage and timings as Groq reported them in <c>usage</c> (or <c>x_groq.usage</c>).</summary>
/// <param name="PromptTokens">Prompt tokens, cached ones included.</param>
/// <param name="CompletionTokens">Completion tokens, the end-of-turn token and hidden reasoning included.</param>
/// <param name="TotalTokens">Prompt plus completion tokens.</param>
public sealed record GroqUsage(long PromptTokens, long CompletionTokens, long TotalTokens)
{
    /// <summary>Gets the prompt tokens served from Groq's prompt cache (<c>prompt_tokens_details.cached_tokens</c>).</summary>
    public long CachedTokens { get; init; }

    /// <summary>Gets the hidden reasoning tokens (<c>completion_tokens_details.reasoning_tokens</c>).</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Gets the time the request waited in Groq's queue (<c>queue_time</c>).</summary>
    public TimeSpan? QueueTime { get; init; }

    /// <summary>Gets the time Groq spent on the prompt (<c>prompt_time</c>).</summary>
    public TimeSpan? PromptTime { get; init; }

    /// <summary>Gets the time Groq spent generating (<c>completion_time</c>).</summary>
    public TimeSpan? CompletionTime { get; init; }

    /// <summary>Gets prompt plus completion time (<c>total_time</c>; queue time is not included).</summary>
    public TimeSpan? TotalTime { get; init; }
}
