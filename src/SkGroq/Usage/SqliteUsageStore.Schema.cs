using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SkGroq.Usage;

/// <content>The table and the mapping of <see cref="UsageRecord"/> to its columns.</content>
internal sealed partial class SqliteUsageStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS usage_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            timestamp_ticks INTEGER NOT NULL,
            model_requested TEXT NOT NULL,
            model_answered TEXT,
            request_id TEXT,
            organization TEXT,
            conversation_id TEXT,
            tenant_id TEXT,
            feature TEXT,
            streaming INTEGER NOT NULL,
            estimated_prompt_tokens INTEGER,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            total_tokens INTEGER,
            cached_tokens INTEGER,
            reasoning_tokens INTEGER,
            queue_time_ticks INTEGER,
            prompt_time_ticks INTEGER,
            completion_time_ticks INTEGER,
            total_time_ticks INTEGER,
            completion_chunks INTEGER NOT NULL,
            finish_reason TEXT,
            cost TEXT,
            cache_hit INTEGER NOT NULL,
            stale INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            error_kind TEXT,
            attempts INTEGER NOT NULL,
            ttft_ticks INTEGER,
            duration_ticks INTEGER NOT NULL,
            queue_wait_ticks INTEGER NOT NULL,
            tokens_per_second REAL,
            fallback_reason TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_usage_records_timestamp ON usage_records (timestamp_ticks);
        """;

    private const string MigrationFrom1 = "ALTER TABLE usage_records ADD COLUMN fallback_reason TEXT;";

    private const string Columns = "timestamp_ticks, model_requested, model_answered, request_id, organization, conversation_id, tenant_id, feature, "
        + "streaming, estimated_prompt_tokens, prompt_tokens, completion_tokens, total_tokens, cached_tokens, reasoning_tokens, "
        + "queue_time_ticks, prompt_time_ticks, completion_time_ticks, total_time_ticks, completion_chunks, finish_reason, cost, "
        + "cache_hit, stale, outcome, error_kind, attempts, ttft_ticks, duration_ticks, queue_wait_ticks, tokens_per_second, fallback_reason";

    private static readonly string[] s_columnNames = Columns.Split(", ");

    private static SqliteCommand CreateInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO usage_records ({Columns}) VALUES ({string.Join(", ", s_columnNames.Select(c => "$" + c))})";
        foreach (string column in s_columnNames)
        {
            insert.Parameters.Add(new SqliteParameter("$" + column, null));
        }

        return insert;
    }

    private static void Bind(SqliteCommand insert, UsageRecord r)
    {
        GroqUsage? u = r.Usage;
        object?[] values =
        [
            r.Timestamp.UtcTicks, r.ModelRequested, r.ModelAnswered, r.RequestId, r.Organization, r.ConversationId, r.TenantId, r.Feature,
            r.Streaming, r.EstimatedPromptTokens, u?.PromptTokens, u?.CompletionTokens, u?.TotalTokens, u?.CachedTokens, u?.ReasoningTokens,
            u?.QueueTime?.Ticks, u?.PromptTime?.Ticks, u?.CompletionTime?.Ticks, u?.TotalTime?.Ticks, r.CompletionChunks, r.FinishReason,
            r.Cost?.ToString(CultureInfo.InvariantCulture), r.CacheHit, r.Stale, r.Outcome.ToString(), r.ErrorKind, r.Attempts,
            r.TimeToFirstToken?.Ticks, r.Duration.Ticks, r.QueueWait.Ticks, r.TokensPerSecond, r.FallbackReason,
        ];
        for (int i = 0; i < values.Length; i++)
        {
            insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static UsageRecord ReadRecord(SqliteDataReader reader)
    {
        GroqUsage? usage = reader.IsDBNull(10) && reader.IsDBNull(11)
            ? null
            : new GroqUsage(Int64(reader, 10) ?? 0, Int64(reader, 11) ?? 0, Int64(reader, 12) ?? 0)
            {
                CachedTokens = Int64(reader, 13) ?? 0,
                ReasoningTokens = Int64(reader, 14) ?? 0,
                QueueTime = Ticks(reader, 15),
                PromptTime = Ticks(reader, 16),
                CompletionTime = Ticks(reader, 17),
                TotalTime = Ticks(reader, 18),
            };
        return new UsageRecord
        {
            Timestamp = new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero),
            ModelRequested = reader.GetString(1),
            ModelAnswered = Text(reader, 2),
            RequestId = Text(reader, 3),
            Organization = Text(reader, 4),
            ConversationId = Text(reader, 5),
            TenantId = Text(reader, 6),
            Feature = Text(reader, 7),
            Streaming = reader.GetBoolean(8),
            EstimatedPromptTokens = Int64(reader, 9),
            Usage = usage,
            CompletionChunks = reader.GetInt32(19),
            FinishReason = Text(reader, 20),
            Cost = Text(reader, 21) is { } cost ? decimal.Parse(cost, NumberStyles.Number, CultureInfo.InvariantCulture) : null,
            CacheHit = reader.GetBoolean(22),
            Stale = reader.GetBoolean(23),
            Outcome = Enum.TryParse(reader.GetString(24), out UsageOutcome outcome) ? outcome : UsageOutcome.Error,
            ErrorKind = Text(reader, 25),
            Attempts = reader.GetInt32(26),
            TimeToFirstToken = Ticks(reader, 27),
            Duration = TimeSpan.FromTicks(reader.GetInt64(28)),
            QueueWait = TimeSpan.FromTicks(reader.GetInt64(29)),
            TokensPerSecond = reader.IsDBNull(30) ? null : reader.GetDouble(30),
            FallbackReason = Text(reader, 31),
        };
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? Int64(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static TimeSpan? Ticks(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : TimeSpan.FromTicks(reader.GetInt64(ordinal));
}
