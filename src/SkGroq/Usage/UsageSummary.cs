namespace SkGroq.Usage;

/// <summary>Usage added up over a group of records (a model, a day, a conversation, a tenant, or everything).</summary>
public sealed record UsageSummary
{
    /// <summary>Gets the group: a model id, a day (<c>yyyy-MM-dd</c>, UTC), a conversation or tenant tag, <c>(none)</c> for untagged records, or <c>total</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the number of requests.</summary>
    public long Requests { get; init; }

    /// <summary>Gets the requests answered whole.</summary>
    public long Succeeded { get; init; }

    /// <summary>Gets the requests that failed before an answer started.</summary>
    public long Failed { get; init; }

    /// <summary>Gets the requests the caller cancelled before an answer started.</summary>
    public long Cancelled { get; init; }

    /// <summary>Gets the streamed answers that ended early.</summary>
    public long Incomplete { get; init; }

    /// <summary>Gets the billed prompt tokens (cached prompt tokens included; cache hits excluded).</summary>
    public long PromptTokens { get; init; }

    /// <summary>Gets the billed completion tokens.</summary>
    public long CompletionTokens { get; init; }

    /// <summary>Gets the billed prompt tokens Groq served from its prompt cache.</summary>
    public long CachedPromptTokens { get; init; }

    /// <summary>Gets prompt plus completion tokens billed.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Gets the cost in US dollars; <see langword="null"/> when any request's cost is unknown (see <see cref="KnownCost"/>).</summary>
    public decimal? Cost => UnknownCostRequests == 0 ? KnownCost : null;

    /// <summary>Gets the sum of the costs that are known.</summary>
    public decimal KnownCost { get; init; }

    /// <summary>Gets the number of requests whose cost is unknown (a model without a price, or a stream that ended before its usage).</summary>
    public long UnknownCostRequests { get; init; }

    /// <summary>Gets the requests answered from the response cache.</summary>
    public long CacheHits { get; init; }

    /// <summary>Gets the tokens the cache hits saved.</summary>
    public long TokensSaved { get; init; }

    /// <summary>Gets the median time to first token; <see langword="null"/> when no record measured one (and always for running totals).</summary>
    public TimeSpan? TimeToFirstTokenP50 { get; init; }

    /// <summary>Gets the 95th percentile of the time to first token; <see langword="null"/> when no record measured one (and always for running totals).</summary>
    public TimeSpan? TimeToFirstTokenP95 { get; init; }
}
