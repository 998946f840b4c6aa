namespace SkGroq.Usage;

/// <summary>The durable, append-only part of the usage ledger.</summary>
internal interface IUsageStore : IDisposable
{
    /// <summary>Gets a description of where records go, for log messages (a path, never a secret).</summary>
    string Location { get; }

    /// <summary>Appends records in one transaction.</summary>
    /// <param name="records">The records.</param>
    void Append(IReadOnlyList<UsageRecord> records);

    /// <summary>Reads the records of a time range, oldest first.</summary>
    /// <param name="since">Inclusive lower bound.</param>
    /// <param name="until">Exclusive upper bound.</param>
    /// <returns>The records.</returns>
    IReadOnlyList<UsageRecord> Query(DateTimeOffset? since, DateTimeOffset? until);
}
