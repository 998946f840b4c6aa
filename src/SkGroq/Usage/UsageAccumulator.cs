namespace SkGroq.Usage;

/// <summary>Adds records up into a <see cref="UsageSummary"/>; not thread-safe.</summary>
internal sealed class UsageAccumulator
{
    private readonly List<TimeSpan>? _timesToFirstToken;
    private long _requests;
    private long _succeeded;
    private long _failed;
    private long _cancelled;
    private long _incomplete;
    private long _promptTokens;
    private long _completionTokens;
    private long _cachedPromptTokens;
    private decimal _knownCost;
    private long _unknownCost;
    private long _cacheHits;
    private long _tokensSaved;

    /// <summary>Initializes a new instance of the <see cref="UsageAccumulator"/> class.</summary>
    /// <param name="percentiles">Whether to keep times to first token for percentiles (not for running totals, which would grow without bound).</param>
    public UsageAccumulator(bool percentiles)
    {
        _timesToFirstToken = percentiles ? [] : null;
    }

    /// <summary>Adds a record.</summary>
    /// <param name="record">The record.</param>
    public void Add(UsageRecord record)
    {
        _requests++;
        switch (record.Outcome)
        {
            case UsageOutcome.Ok:
                _succeeded++;
                break;
            case UsageOutcome.Error:
                _failed++;
                break;
            case UsageOutcome.Cancelled:
                _cancelled++;
                break;
            default:
                _incomplete++;
                break;
        }

        _promptTokens += record.BilledPromptTokens;
        _completionTokens += record.BilledCompletionTokens;
        _cachedPromptTokens += record.CacheHit ? 0 : record.Usage?.CachedTokens ?? 0;
        if (record.Cost is { } cost)
        {
            _knownCost += cost;
        }
        else
        {
            _unknownCost++;
        }

        if (record.CacheHit)
        {
            _cacheHits++;
            _tokensSaved += record.TokensSaved;
        }

        if (record.TimeToFirstToken is { } ttft)
        {
            _timesToFirstToken?.Add(ttft);
        }
    }

    /// <summary>Returns the sums.</summary>
    /// <param name="key">The group's key.</param>
    /// <returns>The summary.</returns>
    public UsageSummary ToSummary(string key)
    {
        TimeSpan? p50 = null;
        TimeSpan? p95 = null;
        if (_timesToFirstToken is { Count: > 0 } times)
        {
            times.Sort();
            p50 = Percentile(times, 0.50);
            p95 = Percentile(times, 0.95);
        }

        return new UsageSummary
        {
            Key = key,
            Requests = _requests,
            Succeeded = _succeeded,
            Failed = _failed,
            Cancelled = _cancelled,
            Incomplete = _incomplete,
            PromptTokens = _promptTokens,
            CompletionTokens = _completionTokens,
            CachedPromptTokens = _cachedPromptTokens,
            KnownCost = _knownCost,
            UnknownCostRequests = _unknownCost,
            CacheHits = _cacheHits,
            TokensSaved = _tokensSaved,
            TimeToFirstTokenP50 = p50,
            TimeToFirstTokenP95 = p95,
        };
    }

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least <paramref name="fraction"/> of the values at or below it.</summary>
    internal static TimeSpan Percentile(List<TimeSpan> sorted, double fraction)
    {
        int rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
