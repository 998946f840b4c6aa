using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SkGroq.Usage;

/// <summary>
/// The usage ledger's durable store: one SQLite table, append-only, indexed by time. Several processes may share the file
/// (WAL journal; SQLite serializes writers).
/// </summary>
/// <remarks>
/// Times are stored as UTC ticks and durations as ticks, cost as invariant decimal text, so a record read back equals the
/// one written. Each operation opens a pooled connection of its own, so the background writer and queries never share one;
/// an in-memory database (<c>:memory:</c>) is a named shared-cache database kept alive by one connection held open.
/// </remarks>
internal sealed partial class SqliteUsageStore : IUsageStore
{
    private const int SchemaVersion = 2;

    private readonly string _connectionString;
    private readonly SqliteConnection? _keepAlive;
    private readonly Lock _schemaLock = new();
    private bool _schemaReady;

    /// <summary>Initializes a new instance of the <see cref="SqliteUsageStore"/> class.</summary>
    /// <param name="path">The database file (its directory is created), or <c>:memory:</c>.</param>
    public SqliteUsageStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path == UsageTrackingDefaults.InMemoryDatabase)
        {
            Location = path;
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = $"skgroq-usage-{Guid.NewGuid():N}",
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
            }.ToString();
            _keepAlive = new SqliteConnection(_connectionString);
            _keepAlive.Open();
        }
        else
        {
            Location = Path.GetFullPath(path);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Location,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                DefaultTimeout = 30,
            }.ToString();
        }
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public void Append(IReadOnlyList<UsageRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        using SqliteConnection connection = Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = CreateInsert(connection, transaction);
        foreach (UsageRecord record in records)
        {
            Bind(insert, record);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <inheritdoc />
    public IReadOnlyList<UsageRecord> Query(DateTimeOffset? since, DateTimeOffset? until)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM usage_records WHERE timestamp_ticks >= $since AND timestamp_ticks < $until ORDER BY timestamp_ticks, id";
        query.Parameters.AddWithValue("$since", since?.UtcTicks ?? long.MinValue);
        query.Parameters.AddWithValue("$until", until?.UtcTicks ?? long.MaxValue);
        var records = new List<UsageRecord>();
        using SqliteDataReader reader = query.ExecuteReader();
        while (reader.Read())
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    /// <summary>Closes the in-memory database, if any; pooled connections to a file are released.</summary>
    public void Dispose()
    {
        _keepAlive?.Dispose();
        if (_keepAlive is null)
        {
            // Release the file (pooled connections keep it open; tests and a restarted ledger reopen it).
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
        }
    }

    private SqliteConnection Open()
    {
        if (_keepAlive is null)
        {
            string? directory = Path.GetDirectoryName(Location);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        EnsureSchema(connection);
        return connection;
    }

    private void EnsureSchema(SqliteConnection connection)
    {
        lock (_schemaLock)
        {
            if (_schemaReady)
            {
                return;
            }

            using SqliteCommand version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version";
            long current = (long)(version.ExecuteScalar() ?? 0L);
            if (current > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"The usage database {Location} was written by a newer SkGroq (schema {current}, this one knows {SchemaVersion}). "
                    + "Update SkGroq, or point Groq:Usage:DatabasePath (GROQ_USAGE_DB) at another file.");
            }

            using SqliteCommand create = connection.CreateCommand();

            // Schema 2 added fallback_reason: a schema 1 file gets the column (its old records keep null there).
            create.CommandText = (_keepAlive is null ? "PRAGMA journal_mode=WAL;" : string.Empty) + Schema
                + (current == 1 ? MigrationFrom1 : string.Empty)
                + $"PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)};";
            create.ExecuteNonQuery();
            _schemaReady = true;
        }
    }
}
