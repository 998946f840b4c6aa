namespace SkGroq.Usage;

/// <summary>The sum of several usage records, e.g. one conversation turn with its tool-call round trips.</summary>
/// <param name="Requests">The number of records.</param>
/// <param name="PromptTokens">Billed prompt tokens.</param>
/// <param name="CompletionTokens">Billed completion tokens.</param>
/// <param name="Cost">The cost in US dollars; <see langword="null"/> when any billed record has no price (unknown, not free).</param>
/// <param name="CacheHits">Records served from the response cache.</param>
/// <param name="TokensSaved">Tokens the cache hits saved.</param>
public sealed record UsageTotals(int Requests, long PromptTokens, long CompletionTokens, decimal? Cost, int CacheHits, long TokensSaved)
{
    /// <summary>Gets no usage.</summary>
    public static UsageTotals Empty { get; } = new(0, 0, 0, 0m, 0, 0);

    /// <summary>Gets billed prompt plus completion tokens.</summary>
    public long TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Sums records.</summary>
    /// <param name="records">The records.</param>
    /// <returns>The totals.</returns>
    public static UsageTotals From(IEnumerable<UsageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        int requests = 0;
        int hits = 0;
        long prompt = 0;
        long completion = 0;
        long saved = 0;
        decimal? cost = 0m;
        foreach (UsageRecord record in records)
        {
            requests++;
            prompt += record.BilledPromptTokens;
            completion += record.BilledCompletionTokens;
            saved += record.TokensSaved;
            hits += record.CacheHit ? 1 : 0;
            bool billed = record.BilledPromptTokens + record.BilledCompletionTokens > 0;
            cost = billed ? cost + record.Cost : cost;
        }

        return new UsageTotals(requests, prompt, completion, cost, hits, saved);
    }
}
