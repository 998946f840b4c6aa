using System.Globalization;
using Microsoft.Data.Sqlite;

namespace SkGroq.Web.Conversations;

/// <summary>The web host's conversations and their messages, per user, in one SQLite file (they survive a restart).</summary>
internal sealed class ConversationStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;

    // One writer at a time: SQLite takes one writer per file anyway, and a second writer that finds the file locked is
    // put to sleep by the driver (150 ms a try), which under many sessions stalls every answer and starves the thread pool.
    private readonly Lock _writeGate = new();

    public ConversationStore(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _time = time;
        using SqliteConnection connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS conversations (id TEXT PRIMARY KEY, user TEXT NOT NULL, title TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS conversations_user ON conversations(user, updated);
            CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, conversation TEXT NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL, created TEXT NOT NULL,
                prompt_tokens INTEGER, completion_tokens INTEGER, cost TEXT, outcome TEXT);
            CREATE INDEX IF NOT EXISTS messages_conversation ON messages(conversation, id);
            """);
    }

    /// <summary>Raised after a message is stored (tests wait on it instead of polling).</summary>
    public event Action<string, StoredMessage>? Appended;

    public ConversationSummary Create(string user, string? title)
    {
        string id = "c_" + Guid.NewGuid().ToString("N")[..16];
        string now = Now();
        string name = string.IsNullOrWhiteSpace(title) ? "New conversation" : title.Trim();
        lock (_writeGate)
        {
            using SqliteConnection connection = Open();
            Execute(connection, "INSERT INTO conversations(id, user, title, created, updated) VALUES ($id, $user, $title, $now, $now)", ("$id", id), ("$user", user), ("$title", name), ("$now", now));
        }

        return new ConversationSummary(id, name, now, now);
    }

    public IReadOnlyList<ConversationSummary> List(string user)
    {
        using SqliteConnection connection = Open();
        using SqliteCommand command = Command(connection, "SELECT id, title, created, updated FROM conversations WHERE user = $user ORDER BY updated DESC", ("$user", user));
        using SqliteDataReader reader = command.ExecuteReader();
        var list = new List<ConversationSummary>();
        while (reader.Read())
        {
            list.Add(new ConversationSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return list;
    }

    public ConversationDetail? Get(string user, string id)
    {
        using SqliteConnection connection = Open();
        ConversationSummary? summary;
        using (SqliteCommand command = Command(connection, "SELECT id, title, created, updated FROM conversations WHERE user = $user AND id = $id", ("$user", user), ("$id", id)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            summary = reader.Read() ? new ConversationSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)) : null;
        }

        if (summary is null)
        {
            return null;
        }

        using SqliteCommand messages = Command(connection, "SELECT role, text, created, prompt_tokens, completion_tokens, cost, outcome FROM messages WHERE conversation = $id ORDER BY id", ("$id", id));
        using SqliteDataReader rows = messages.ExecuteReader();
        var list = new List<StoredMessage>();
        while (rows.Read())
        {
            list.Add(new StoredMessage(
                rows.GetString(0),
                rows.GetString(1),
                rows.GetString(2),
                rows.IsDBNull(3) ? null : rows.GetInt64(3),
                rows.IsDBNull(4) ? null : rows.GetInt64(4),
                rows.IsDBNull(5) ? null : decimal.Parse(rows.GetString(5), CultureInfo.InvariantCulture),
                rows.IsDBNull(6) ? null : rows.GetString(6)));
        }

        return new ConversationDetail(summary, list);
    }

    public void Append(string id, StoredMessage message)
    {
        lock (_writeGate)
        {
            using SqliteConnection connection = Open();
            using SqliteTransaction transaction = connection.BeginTransaction();
            Execute(
                connection,
                "INSERT INTO messages(conversation, role, text, created, prompt_tokens, completion_tokens, cost, outcome) VALUES ($c, $role, $text, $now, $p, $o, $cost, $outcome)",
                ("$c", id),
                ("$role", message.Role),
                ("$text", message.Text),
                ("$now", message.Created),
                ("$p", message.PromptTokens),
                ("$o", message.CompletionTokens),
                ("$cost", message.Cost?.ToString(CultureInfo.InvariantCulture)),
                ("$outcome", message.Outcome));
            Execute(connection, "UPDATE conversations SET updated = $now WHERE id = $c", ("$c", id), ("$now", message.Created));
            if (message.Role == "user")
            {
                // The first question names the conversation.
                string title = message.Text.Length > 60 ? message.Text[..60] + "…" : message.Text;
                Execute(connection, "UPDATE conversations SET title = $t WHERE id = $c AND title = 'New conversation'", ("$c", id), ("$t", title.ReplaceLineEndings(" ")));
            }

            transaction.Commit();
        }

        Appended?.Invoke(id, message);
    }

    public bool Delete(string user, string id)
    {
        lock (_writeGate)
        {
            using SqliteConnection connection = Open();
            using SqliteTransaction transaction = connection.BeginTransaction();
            int removed = Execute(connection, "DELETE FROM conversations WHERE user = $user AND id = $id", ("$user", user), ("$id", id));
            if (removed > 0)
            {
                Execute(connection, "DELETE FROM messages WHERE conversation = $id", ("$id", id));
            }

            transaction.Commit();
            return removed > 0;
        }
    }

    public string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();

        // With the write-ahead log, NORMAL cannot corrupt the file; a power cut may lose the last messages, not the database.
        Execute(connection, "PRAGMA synchronous = NORMAL");
        return connection;
    }
}

internal sealed record ConversationSummary(string Id, string Title, string Created, string Updated);

internal sealed record ConversationDetail(ConversationSummary Conversation, IReadOnlyList<StoredMessage> Messages);

internal sealed record StoredMessage(string Role, string Text, string Created, long? PromptTokens = null, long? CompletionTokens = null, decimal? Cost = null, string? Outcome = null);
