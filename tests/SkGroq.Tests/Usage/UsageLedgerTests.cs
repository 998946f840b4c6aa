using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

public sealed class UsageLedgerTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "skgroq-ledger-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_directory, "nested", "usage.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void EffectiveDatabasePath_NoPathSet_IsTheDefaultFileInTheUsersDataDirectory(string? configured)
    {
        var options = new UsageTrackingOptions { DatabasePath = configured };

        Assert.Equal(Path.Combine("SkGroq", "usage.db"), Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(options.EffectiveDatabasePath)!)!, options.EffectiveDatabasePath));
        Assert.True(Path.IsPathRooted(options.EffectiveDatabasePath));
    }

    [Fact]
    public void EffectiveDatabasePath_PathSet_IsThatPath()
        => Assert.Equal(DatabasePath, new UsageTrackingOptions { DatabasePath = DatabasePath }.EffectiveDatabasePath);

    [Fact]
    public async Task Record_ThenReopen_RecordsSurviveExactly()
    {
        UsageRecord[] records =
        [
            UsageRecords.Make(s_t0, ttft: TimeSpan.FromMilliseconds(123.4567)),
            UsageRecords.Make(s_t0.AddSeconds(1), "openai/gpt-oss-20b", cost: null, outcome: UsageOutcome.Incomplete, conversation: "c", tenant: "t"),
            UsageRecords.Make(s_t0.AddSeconds(2), outcome: UsageOutcome.Error, cost: 0m) with { Usage = null, EstimatedPromptTokens = null, TokensPerSecond = null },
        ];
        await using (var ledger = new UsageLedger(new SqliteUsageStore(DatabasePath), 10, 10))
        {
            foreach (UsageRecord record in records)
            {
                ledger.Record(record);
            }
        }

        await using var reopened = new UsageLedger(new SqliteUsageStore(DatabasePath), 10, 10);
        IReadOnlyList<UsageRecord> read = await reopened.QueryAsync(cancellationToken: Ct);

        Assert.Equal(records, read);
        Assert.Empty(reopened.Recent);
    }

    [Fact]
    public async Task QueryAsync_TimeRange_SinceInclusiveUntilExclusive()
    {
        await using var ledger = new UsageLedger(new SqliteUsageStore(":memory:"), 10, 10);
        for (int i = 0; i < 5; i++)
        {
            ledger.Record(UsageRecords.Make(s_t0.AddMinutes(i)));
        }

        IReadOnlyList<UsageRecord> read = await ledger.QueryAsync(s_t0.AddMinutes(1), s_t0.AddMinutes(3), Ct);

        Assert.Equal([s_t0.AddMinutes(1), s_t0.AddMinutes(2)], read.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task SummarizeAsync_FromStore_GroupsAllRecords()
    {
        await using var ledger = new UsageLedger(new SqliteUsageStore(":memory:"), 1, 10);
        ledger.Record(UsageRecords.Make(s_t0, "a", 10, 1, 1m));
        ledger.Record(UsageRecords.Make(s_t0, "b", 20, 2, 2m));
        ledger.Record(UsageRecords.Make(s_t0, "a", 30, 3, 3m));

        IReadOnlyList<UsageSummary> byModel = await ledger.SummarizeAsync(UsageGrouping.Model, cancellationToken: Ct);

        Assert.Equal([("a", 40L, 4m), ("b", 20L, 2m)], byModel.Select(s => (s.Key, s.PromptTokens, s.Cost!.Value)));
        Assert.Single(ledger.Recent);
        Assert.Equal(3, ledger.Totals.Requests);
        Assert.Equal(60, ledger.Totals.PromptTokens);
    }

    [Fact]
    public async Task Record_WithoutStore_QueriesRecentRecords()
    {
        await using var ledger = new UsageLedger(null, 2, 10);
        ledger.Record(UsageRecords.Make(s_t0));
        ledger.Record(UsageRecords.Make(s_t0.AddSeconds(1)));
        ledger.Record(UsageRecords.Make(s_t0.AddSeconds(2)));

        Assert.Equal([s_t0.AddSeconds(1), s_t0.AddSeconds(2)], (await ledger.QueryAsync(cancellationToken: Ct)).Select(r => r.Timestamp));
        Assert.Equal(3, ledger.Totals.Requests);
    }

    [Fact]
    public async Task Record_QueueFull_KeepsInMemoryCountsAndLogsLoudly()
    {
        var store = new GatedStore();
        var logger = new FakeLogger();
        await using var ledger = new UsageLedger(store, 10, 1, logger);

        ledger.Record(UsageRecords.Make(s_t0));
        await store.Entered.Task;
        ledger.Record(UsageRecords.Make(s_t0.AddSeconds(1)));
        ledger.Record(UsageRecords.Make(s_t0.AddSeconds(2)));

        Assert.Equal(1, ledger.DroppedRecords);
        Assert.Equal(3, ledger.Recent.Count);
        FakeLogRecord error = Assert.Single(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("NOT persisted", error.Message, StringComparison.Ordinal);

        store.Gate.TrySetResult();
        await ledger.FlushAsync(Ct);
        Assert.Equal(2, store.Written.Count);
    }

    [Fact]
    public async Task Record_StoreFails_CountsDroppedAndLogs()
    {
        var logger = new FakeLogger();
        await using var ledger = new UsageLedger(new FailingStore(), 10, 10, logger);

        ledger.Record(UsageRecords.Make(s_t0));
        await ledger.FlushAsync(Ct);

        Assert.Equal(1, ledger.DroppedRecords);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error && r.Message.Contains("could NOT be written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisposeAsync_WritesEverythingQueued()
    {
        var store = new GatedStore();
        var ledger = new UsageLedger(store, 10, 100);
        for (int i = 0; i < 50; i++)
        {
            ledger.Record(UsageRecords.Make(s_t0.AddSeconds(i)));
        }

        store.Gate.TrySetResult();
        await ledger.DisposeAsync();

        Assert.Equal(50, store.Written.Count);
        Assert.True(store.Disposed);
    }

    [Fact]
    public void Dispose_ThenRecord_IsCountedAsDropped()
    {
        var logger = new FakeLogger();
        var ledger = new UsageLedger(new SqliteUsageStore(":memory:"), 10, 10, logger);
        ledger.Dispose();

        ledger.Record(UsageRecords.Make(s_t0));

        Assert.Equal(1, ledger.DroppedRecords);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public void SqliteUsageStore_NewerSchema_RefusesWithActionableMessage()
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "future.db");
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        using var store = new SqliteUsageStore(path);
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => store.Query(null, null));
        Assert.Contains("GROQ_USAGE_DB", error.Message, StringComparison.Ordinal);
    }

    private sealed class GatedStore : IUsageStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<UsageRecord> Written { get; } = [];

        public bool Disposed { get; private set; }

        public string Location => "gated";

        public void Append(IReadOnlyList<UsageRecord> records)
        {
            Entered.TrySetResult();
            Gate.Task.Wait(TestContext.Current.CancellationToken);
            lock (Written)
            {
                Written.AddRange(records);
            }
        }

        public IReadOnlyList<UsageRecord> Query(DateTimeOffset? since, DateTimeOffset? until) => Written;

        public void Dispose() => Disposed = true;
    }

    private sealed class FailingStore : IUsageStore
    {
        public string Location => "/read-only/usage.db";

        public void Append(IReadOnlyList<UsageRecord> records) => throw new IOException("disk full");

        public IReadOnlyList<UsageRecord> Query(DateTimeOffset? since, DateTimeOffset? until) => [];

        public void Dispose()
        {
        }
    }
}
