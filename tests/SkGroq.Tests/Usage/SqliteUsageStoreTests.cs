using Microsoft.Data.Sqlite;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

/// <summary>
/// Every field of a usage record survives the SQLite ledger. Found by the chaos soak: <see cref="UsageRecord.FallbackReason"/>
/// was not stored, so every fallback read back from the ledger looked like a plain answer.
/// </summary>
public sealed class SqliteUsageStoreTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"skgroq-store-{Guid.NewGuid():N}.db");

    [Fact]
    public void AppendThenQuery_EveryFieldRoundTrips()
    {
        UsageRecord record = Record("circuit_open");
        var store = new SqliteUsageStore(_path);

        store.Append([record]);

        Assert.Equal(record, Assert.Single(store.Query(null, null)));
    }

    [Fact]
    public void Open_Schema1File_AddsTheFallbackColumn_KeepsOldRecords()
    {
        using (var connection = new SqliteConnection($"Data Source={_path}"))
        {
            connection.Open();
            using SqliteCommand create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE usage_records (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp_ticks INTEGER NOT NULL, model_requested TEXT NOT NULL,
                    model_answered TEXT, request_id TEXT, organization TEXT, conversation_id TEXT, tenant_id TEXT, feature TEXT, streaming INTEGER NOT NULL,
                    estimated_prompt_tokens INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER, cached_tokens INTEGER,
                    reasoning_tokens INTEGER, queue_time_ticks INTEGER, prompt_time_ticks INTEGER, completion_time_ticks INTEGER, total_time_ticks INTEGER,
                    completion_chunks INTEGER NOT NULL, finish_reason TEXT, cost TEXT, cache_hit INTEGER NOT NULL, stale INTEGER NOT NULL, outcome TEXT NOT NULL,
                    error_kind TEXT, attempts INTEGER NOT NULL, ttft_ticks INTEGER, duration_ticks INTEGER NOT NULL, queue_wait_ticks INTEGER NOT NULL,
                    tokens_per_second REAL);
                INSERT INTO usage_records (timestamp_ticks, model_requested, streaming, completion_chunks, cache_hit, stale, outcome, attempts, duration_ticks, queue_wait_ticks)
                    VALUES (638000000000000000, 'llama-3.1-8b-instant', 0, 0, 0, 0, 'Ok', 1, 10000, 0);
                PRAGMA user_version = 1;
                """;
            create.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var store = new SqliteUsageStore(_path);
        store.Append([Record("over_capacity")]);

        IReadOnlyList<UsageRecord> records = store.Query(null, null);
        Assert.Equal([null, "over_capacity"], records.Select(r => r.FallbackReason));
        Assert.Equal("llama-3.1-8b-instant", records[0].ModelRequested);
        SqliteConnection.ClearAllPools();
        using var check = new SqliteConnection($"Data Source={_path}");
        check.Open();
        using SqliteCommand version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(2L, version.ExecuteScalar());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (string file in (string[])[_path, _path + "-wal", _path + "-shm"])
        {
            File.Delete(file);
        }
    }

    private static UsageRecord Record(string fallbackReason) => new()
    {
        Timestamp = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero),
        ModelRequested = "llama-3.3-70b-versatile",
        ModelAnswered = "llama-3.1-8b-instant",
        FallbackReason = fallbackReason,
        RequestId = "req_01kztr8bqme32rx8ttyjtpk0nw",
        Organization = "key_3f2a9c01b7e4",
        Feature = "chaos",
        Streaming = true,
        EstimatedPromptTokens = 41,
        Usage = new GroqUsage(40, 12, 52),
        CompletionChunks = 11,
        FinishReason = "stop",
        Cost = 0.0000036m,
        Outcome = UsageOutcome.Ok,
        Attempts = 3,
        TimeToFirstToken = TimeSpan.FromMilliseconds(120),
        Duration = TimeSpan.FromMilliseconds(480),
        TokensPerSecond = 30.5,
    };
}
