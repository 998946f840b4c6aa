using System.ComponentModel.DataAnnotations;

namespace SkGroq.Usage;

/// <summary>Settings of usage tracking and cost monitoring.</summary>
public sealed class UsageTrackingOptions
{
    /// <summary>Gets or sets a value indicating whether a usage record is kept for every request.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether records are appended to the SQLite database at <see cref="DatabasePath"/>, so usage survives restarts.</summary>
    /// <value>The default is <see langword="true"/>. With <see langword="false"/> only the in-memory ledger (recent records and totals) is kept.</value>
    public bool Persist { get; set; } = true;

    /// <summary>Gets or sets the SQLite file of the usage ledger (<c>Groq:Usage:DatabasePath</c>, <c>GROQ_USAGE_DB</c>).</summary>
    /// <value>
    /// The default is <see langword="null"/>: <c>SkGroq/usage.db</c> in the user's local application data directory (see
    /// <see cref="EffectiveDatabasePath"/>). <c>:memory:</c> keeps the database in memory for the life of the process.
    /// </value>
    public string? DatabasePath { get; set; }

    /// <summary>Gets the SQLite file the ledger uses: <see cref="DatabasePath"/> when set, else the default file.</summary>
    public string EffectiveDatabasePath => string.IsNullOrWhiteSpace(DatabasePath) ? UsageTrackingDefaults.DatabasePath : DatabasePath;

    /// <summary>Gets or sets how many recent records the in-memory ledger keeps.</summary>
    /// <value>The default is 1,000.</value>
    [Range(1, 10_000_000)]
    public int RecentCapacity { get; set; } = UsageTrackingDefaults.RecentCapacity;

    /// <summary>Gets or sets how many records may wait for the background database writer; beyond that a record is kept in memory only, counted and logged as an error.</summary>
    /// <value>The default is 10,000.</value>
    [Range(1, 10_000_000)]
    public int WriteQueueCapacity { get; set; } = UsageTrackingDefaults.WriteQueueCapacity;
}
