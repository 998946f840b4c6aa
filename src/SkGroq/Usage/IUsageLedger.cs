namespace SkGroq.Usage;

/// <summary>
/// Where usage records go: kept in memory (recent records and running totals) and appended to a durable store
/// (SQLite by default) by a background writer, so usage survives restarts and the request path never waits for a disk.
/// </summary>
public interface IUsageLedger
{
    /// <summary>Gets the running totals of the records made by this process.</summary>
    UsageSummary Totals { get; }

    /// <summary>Gets the most recent records of this process, oldest first (at most <c>Groq:Usage:RecentCapacity</c>).</summary>
    IReadOnlyList<UsageRecord> Recent { get; }

    /// <summary>Gets the number of records that could not be persisted (queue full or store failure); each was logged as an error.</summary>
    long DroppedRecords { get; }

    /// <summary>Records one request's usage; never blocks and never throws.</summary>
    /// <param name="record">The record.</param>
    void Record(UsageRecord record);

    /// <summary>Reads the records of a time range, oldest first: from the durable store when there is one (all processes, all time), else from the recent records.</summary>
    /// <param name="since">The earliest <see cref="UsageRecord.Timestamp"/>, inclusive; <see langword="null"/> for no bound.</param>
    /// <param name="until">The latest <see cref="UsageRecord.Timestamp"/>, exclusive; <see langword="null"/> for no bound.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The records.</returns>
    Task<IReadOnlyList<UsageRecord>> QueryAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default);

    /// <summary>Adds up the records of a time range by model, day, conversation or tenant (what the console's <c>usage</c> command shows).</summary>
    /// <param name="groupBy">The grouping.</param>
    /// <param name="since">The earliest <see cref="UsageRecord.Timestamp"/>, inclusive; <see langword="null"/> for no bound.</param>
    /// <param name="until">The latest <see cref="UsageRecord.Timestamp"/>, exclusive; <see langword="null"/> for no bound.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>One summary per group, ordered by key.</returns>
    Task<IReadOnlyList<UsageSummary>> SummarizeAsync(UsageGrouping groupBy, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default);

    /// <summary>Waits until every record made so far is in the durable store.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when the records are written.</returns>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
