namespace SkGroq.Usage;

/// <summary>Default values of <see cref="UsageTrackingOptions"/>.</summary>
internal static class UsageTrackingDefaults
{
    /// <summary>The <see cref="UsageTrackingOptions.DatabasePath"/> value that keeps the ledger's database in memory (lost at exit).</summary>
    public const string InMemoryDatabase = ":memory:";

    /// <summary>How many recent records the in-memory ledger keeps.</summary>
    public const int RecentCapacity = 1_000;

    /// <summary>How many records may wait for the background writer before new ones are not persisted (and counted as dropped).</summary>
    public const int WriteQueueCapacity = 10_000;

    /// <summary>Gets the default database file: <c>SkGroq/usage.db</c> under the user's local application data directory (e.g. <c>~/.local/share</c>).</summary>
    public static string DatabasePath { get; } = DefaultDatabasePath();

    private static string DefaultDatabasePath()
    {
        string root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            // No home directory (some containers): the temp directory is the only writable place left.
            root = Path.GetTempPath();
        }

        return Path.Combine(root, "SkGroq", "usage.db");
    }
}
