namespace SkGroq.Caching;

/// <summary>A snapshot of the response cache: what the store holds and what this process's requests did since start.</summary>
public sealed record ResponseCacheStatistics
{
    /// <summary>Gets the store (<c>memory</c>, <c>distributed</c>).</summary>
    public required string Store { get; init; }

    /// <summary>Gets the number of stored answers; <see langword="null"/> when the store cannot count (a shared one).</summary>
    public long? Entries { get; init; }

    /// <summary>Gets the estimated bytes the stored answers hold; <see langword="null"/> when the store cannot count.</summary>
    public long? Bytes { get; init; }

    /// <summary>Gets the requests answered from the cache (fresh entries, and requests that shared an identical in-flight request's answer).</summary>
    public long Hits { get; init; }

    /// <summary>Gets the cacheable requests that had to ask Groq.</summary>
    public long Misses { get; init; }

    /// <summary>Gets the requests that shared the answer of an identical request in flight (counted in <see cref="Hits"/> too).</summary>
    public long Coalesced { get; init; }

    /// <summary>Gets the requests answered with a stale entry because Groq was unavailable (degraded mode).</summary>
    public long StaleServes { get; init; }

    /// <summary>Gets the answers stored.</summary>
    public long Stored { get; init; }

    /// <summary>Gets the requests the cache let through untouched (not deterministic, opted out, not JSON).</summary>
    public long Bypassed { get; init; }

    /// <summary>Gets the tokens the hits and stale serves saved (the original answers' prompt plus completion tokens).</summary>
    public long TokensSaved { get; init; }

    /// <summary>Gets hits divided by hits plus misses; <see langword="null"/> before the first cacheable request.</summary>
    public double? HitRate => Hits + Misses == 0 ? null : (double)Hits / (Hits + Misses);
}
