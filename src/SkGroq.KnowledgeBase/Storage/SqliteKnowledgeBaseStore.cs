using System.Globalization;
using System.IO.Hashing;
using System.Linq.Expressions;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkGroq.KnowledgeBase.Embeddings;

namespace SkGroq.KnowledgeBase.Storage;

/// <summary>
/// A knowledge base in one SQLite file: chunks with their text indexed by SQLite's FTS5 (BM25) and their embeddings as
/// float32 blobs, compared in-process with <see cref="TensorPrimitives"/>. Implements Microsoft.Extensions.VectorData's
/// collection and keyword-hybrid search, so the agent works the same on any other vector-data connector.
/// </summary>
/// <remarks>
/// Readers never see a half-written index: <see cref="PublishAsync"/> replaces documents in one transaction (write-ahead log),
/// and a reader reloads its in-memory vectors only when a commit changed the file. A damaged file, an index of another
/// schema version or one built with another embedder raises <see cref="KnowledgeBaseIndexException"/> instead of answering.
/// </remarks>
public sealed class SqliteKnowledgeBaseStore : VectorStoreCollection<string, KnowledgeBaseChunk>, IKeywordHybridSearchable<KnowledgeBaseChunk>
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int SchemaVersion = 1;

    private const string Columns = "id, key, source, heading, line_start, line_end, page, text, tokens";

    // English function words: FTS5 has no stop list, and "how do I …" would otherwise rank every passage with "I" in it.
    private static readonly HashSet<string> s_stopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being", "but", "by",
        "can", "could", "did", "do", "does", "doing", "during", "each", "for", "from", "get", "got", "had", "has", "have", "having",
        "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "more", "most", "must",
        "my", "no", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "out", "over", "own", "same",
        "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
    };
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly VectorStoreCollectionMetadata _metadata;
    private SqliteConnection? _reader;
    private Snapshot? _snapshot;
    private bool _checked;

    /// <summary>Initializes a new instance of the <see cref="SqliteKnowledgeBaseStore"/> class.</summary>
    /// <param name="path">The index file; created by <see cref="EnsureCollectionExistsAsync"/> when missing.</param>
    /// <param name="generator">Embeds records without an embedding and string queries; <see langword="null"/> when every input is a vector.</param>
    public SqliteKnowledgeBaseStore(string path, IEmbeddingGenerator<string, Embedding<float>>? generator = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = Path.GetFullPath(path);
        _generator = generator;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();
        _metadata = new VectorStoreCollectionMetadata { VectorStoreSystemName = "sqlite", CollectionName = Name };
    }

    /// <summary>Gets the index file's full path.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public override string Name => Path.GetFileNameWithoutExtension(FilePath);

    /// <summary>Gets or sets how hybrid search fuses its two rankings.</summary>
    public HybridSearchWeights Weights { get; set; } = new();

    /// <inheritdoc/>
    public override async Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(FilePath))
        {
            return false;
        }

        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GuardAsync(async () => await ScalarAsync<long>(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", cancellationToken).ConfigureAwait(false) > 0).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await GuardAsync(async () =>
        {
            await ExecuteAsync(connection, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            using SqliteTransaction transaction = connection.BeginTransaction();
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS documents (source TEXT PRIMARY KEY, hash TEXT NOT NULL, bytes INTEGER NOT NULL, chunks INTEGER NOT NULL, note TEXT);
                CREATE TABLE IF NOT EXISTS chunks (
                    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, source TEXT NOT NULL, heading TEXT NOT NULL,
                    line_start INTEGER NOT NULL, line_end INTEGER NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL,
                    tokens INTEGER NOT NULL, input_hash TEXT NOT NULL, embedding BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
                CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(heading, text, content='chunks', content_rowid='id', tokenize='porter unicode61');
                CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
                    INSERT INTO chunks_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text); END;
                CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
                    INSERT INTO chunks_fts(chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text); END;
                CREATE TRIGGER IF NOT EXISTS chunks_au AFTER UPDATE ON chunks BEGIN
                    INSERT INTO chunks_fts(chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
                    INSERT INTO chunks_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text); END;
                INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '1');
                """, cancellationToken, transaction).ConfigureAwait(false);
            transaction.Commit();
            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CloseReader();
            foreach (string file in new[] { FilePath, FilePath + "-wal", FilePath + "-shm" })
            {
                File.Delete(file);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads the index's metadata (schema version, embedder, folder).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key-value pairs.</returns>
    public async Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GuardAsync(async () =>
        {
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            using SqliteCommand command = Command(connection, "SELECT key, value FROM meta");
            using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                meta[reader.GetString(0)] = reader.GetString(1);
            }

            return (IReadOnlyDictionary<string, string>)meta;
        }).ConfigureAwait(false);
    }

    /// <summary>Checks that the file is an intact index of this schema version (and, when given, built with <paramref name="embedder"/>).</summary>
    /// <param name="embedder">The embedder's model id the caller will search with; <see langword="null"/> to skip that check.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    /// <exception cref="KnowledgeBaseIndexException">The file is missing, damaged, of another schema, or built with another embedder.</exception>
    public async Task ValidateAsync(string? embedder = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(FilePath))
        {
            throw new KnowledgeBaseIndexException($"There is no knowledge-base index at '{FilePath}'. Build it with: kb index <folder>.") { RebuildFixes = true };
        }

        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        string check = await GuardAsync(() => ScalarAsync<string>(connection, "PRAGMA quick_check(1)", cancellationToken)).ConfigureAwait(false);
        if (!string.Equals(check, "ok", StringComparison.Ordinal))
        {
            throw Damaged(check, null);
        }

        IReadOnlyDictionary<string, string> meta = await GetMetadataAsync(cancellationToken).ConfigureAwait(false);
        string version = meta.GetValueOrDefault("schema_version", "0");
        if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new KnowledgeBaseIndexException($"The index '{FilePath}' has schema version {version}; this version of SkGroq reads version {SchemaVersion}. Rebuild it: kb index <folder> --rebuild.") { RebuildFixes = true };
        }

        if (embedder is not null && meta.TryGetValue("embedder", out string? built) && !string.Equals(built, embedder, StringComparison.Ordinal))
        {
            throw new KnowledgeBaseIndexException($"The index '{FilePath}' was built with the embedder {built}, not {embedder}; its vectors cannot be compared. Search with {built}, or rebuild: kb index <folder> --rebuild.") { RebuildFixes = true };
        }
    }

    /// <summary>Lists the indexed documents and the content hash each was indexed at.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The documents by source path.</returns>
    public async Task<IReadOnlyDictionary<string, IndexedDocument>> GetDocumentsAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GuardAsync(async () =>
        {
            var documents = new Dictionary<string, IndexedDocument>(StringComparer.Ordinal);
            using SqliteCommand command = Command(connection, "SELECT source, hash, bytes, chunks, note FROM documents");
            using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                documents[reader.GetString(0)] = new IndexedDocument(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4));
            }

            return (IReadOnlyDictionary<string, IndexedDocument>)documents;
        }).ConfigureAwait(false);
    }

    /// <summary>Reads the embeddings stored for some documents by the hash of their embedder input, so unchanged chunks of a changed document are not embedded again.</summary>
    /// <param name="sources">The documents.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Embeddings by input hash.</returns>
    public async Task<IReadOnlyDictionary<string, float[]>> GetEmbeddingsAsync(IEnumerable<string> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GuardAsync(async () =>
        {
            var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (string source in sources)
            {
                using SqliteCommand command = Command(connection, "SELECT input_hash, embedding FROM chunks WHERE source = $source");
                command.Parameters.AddWithValue("$source", source);
                using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found[reader.GetString(0)] = ToVector((byte[])reader[1]);
                }
            }

            return (IReadOnlyDictionary<string, float[]>)found;
        }).ConfigureAwait(false);
    }

    /// <summary>Replaces documents in one transaction: readers see the index before or after, never between.</summary>
    /// <param name="removed">Documents to drop (deleted files, and every document being replaced).</param>
    /// <param name="documents">Documents to write with their chunks (each chunk with its embedding).</param>
    /// <param name="metadata">Metadata to set (e.g. the embedder and the folder).</param>
    /// <param name="cancellationToken">Cancels before the commit; nothing is written then.</param>
    /// <returns>A task.</returns>
    public async Task PublishAsync(
        IEnumerable<string> removed,
        IEnumerable<(IndexedDocument Document, IReadOnlyList<KnowledgeBaseChunk> Chunks)> documents,
        IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(removed);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(metadata);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await GuardAsync(async () =>
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            foreach (string source in removed)
            {
                using SqliteCommand delete = Command(connection, "DELETE FROM chunks WHERE source = $s; DELETE FROM documents WHERE source = $s;", transaction);
                delete.Parameters.AddWithValue("$s", source);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach ((IndexedDocument document, IReadOnlyList<KnowledgeBaseChunk> chunks) in documents)
            {
                using SqliteCommand insert = Command(connection, "INSERT OR REPLACE INTO documents(source, hash, bytes, chunks, note) VALUES ($s, $h, $b, $c, $n)", transaction);
                insert.Parameters.AddWithValue("$s", document.Source);
                insert.Parameters.AddWithValue("$h", document.Hash);
                insert.Parameters.AddWithValue("$b", document.Bytes);
                insert.Parameters.AddWithValue("$c", chunks.Count);
                insert.Parameters.AddWithValue("$n", (object?)document.Note ?? DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await WriteChunksAsync(connection, transaction, chunks, cancellationToken).ConfigureAwait(false);
            }

            foreach ((string key, string value) in metadata)
            {
                using SqliteCommand set = Command(connection, "INSERT OR REPLACE INTO meta(key, value) VALUES ($k, $v)", transaction);
                set.Parameters.AddWithValue("$k", key);
                set.Parameters.AddWithValue("$v", value);
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            transaction.Commit();
            return true;
        }).ConfigureAwait(false);
    }

    /// <summary>Counts the documents and chunks.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts and the file's size.</returns>
    public async Task<(int Documents, int Chunks, long FileBytes)> CountAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        long documents = await GuardAsync(() => ScalarAsync<long>(connection, "SELECT count(*) FROM documents WHERE chunks > 0", cancellationToken)).ConfigureAwait(false);
        long chunks = await GuardAsync(() => ScalarAsync<long>(connection, "SELECT count(*) FROM chunks", cancellationToken)).ConfigureAwait(false);
        long bytes = new FileInfo(FilePath).Length + (File.Exists(FilePath + "-wal") ? new FileInfo(FilePath + "-wal").Length : 0);
        return ((int)documents, (int)chunks, bytes);
    }

    /// <inheritdoc/>
    public override async Task<KnowledgeBaseChunk?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await WithReaderAsync(async reader =>
        {
            using SqliteCommand command = Command(reader, $"SELECT {Columns}, embedding FROM chunks WHERE key = $key");
            command.Parameters.AddWithValue("$key", key);
            List<KnowledgeBaseChunk> found = await ReadChunksAsync(command, options?.IncludeVectors == true, cancellationToken).ConfigureAwait(false);
            return found.Count > 0 ? found[0] : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<KnowledgeBaseChunk> GetAsync(
        Expression<Func<KnowledgeBaseChunk, bool>> filter,
        int top,
        FilteredRecordRetrievalOptions<KnowledgeBaseChunk>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        Func<KnowledgeBaseChunk, bool> predicate = filter.Compile();
        List<KnowledgeBaseChunk> all = await WithReaderAsync(async reader =>
        {
            using SqliteCommand command = Command(reader, $"SELECT {Columns}, embedding FROM chunks ORDER BY id");
            return await ReadChunksAsync(command, options?.IncludeVectors == true, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        foreach (KnowledgeBaseChunk chunk in all.Where(predicate).Skip(options?.Skip ?? 0).Take(top))
        {
            yield return chunk;
        }
    }

    /// <inheritdoc/>
    public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using SqliteCommand command = Command(connection, "DELETE FROM chunks WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        await GuardAsync(() => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override Task UpsertAsync(KnowledgeBaseChunk record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task UpsertAsync(IEnumerable<KnowledgeBaseChunk> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<KnowledgeBaseChunk> list = records.ToList();
        List<KnowledgeBaseChunk> missing = list.Where(r => r.Embedding.IsEmpty).ToList();
        if (missing.Count > 0)
        {
            IEmbeddingGenerator<string, Embedding<float>> generator = _generator
                ?? throw new InvalidOperationException("A record has no embedding and the collection has no embedding generator. Set KnowledgeBaseChunk.Embedding, or create the collection with a generator.");
            GeneratedEmbeddings<Embedding<float>> embeddings = await generator.GenerateAsync(missing.Select(r => r.EmbeddingInput), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < missing.Count; i++)
            {
                missing[i].Embedding = embeddings[i].Vector;
            }
        }

        using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await GuardAsync(async () =>
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            await WriteChunksAsync(connection, transaction, list, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<VectorSearchResult<KnowledgeBaseChunk>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<KnowledgeBaseChunk>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new VectorSearchOptions<KnowledgeBaseChunk>();
        ReadOnlyMemory<float> query = await ToQueryVectorAsync(searchValue, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<(long Id, double Score)> ranked = await RankByVectorAsync(query, int.MaxValue, cancellationToken).ConfigureAwait(false);
        foreach (VectorSearchResult<KnowledgeBaseChunk> result in await MaterializeAsync(ranked, options.Filter, options.Skip, top, options.ScoreThreshold, options.IncludeVectors, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<VectorSearchResult<KnowledgeBaseChunk>> HybridSearchAsync<TInput>(
        TInput searchValue,
        ICollection<string> keywords,
        int top,
        HybridSearchOptions<KnowledgeBaseChunk>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new HybridSearchOptions<KnowledgeBaseChunk>();
        ReadOnlyMemory<float> query = await ToQueryVectorAsync(searchValue, cancellationToken).ConfigureAwait(false);
        int depth = Math.Max(50, (top + options.Skip) * 4);
        Snapshot snapshot = await WithReaderAsync(LoadSnapshotAsync, cancellationToken).ConfigureAwait(false);
        float[] similarities = snapshot.Similarities(query);
        IReadOnlyList<(long Id, double Score)> vector = Snapshot.Top(snapshot.Ids, similarities, depth);
        IReadOnlyList<(long Id, double Score)> keyword = await RankByKeywordsAsync(string.Join(' ', keywords), depth, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<(long Id, double Score)> fused = Fuse(vector, keyword, id => similarities[snapshot.IndexOf(id)], Weights);
        foreach (VectorSearchResult<KnowledgeBaseChunk> result in await MaterializeAsync(fused, options.Filter, options.Skip, top, options.ScoreThreshold, options.IncludeVectors, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Ranks chunks by BM25 over their text and heading (SQLite FTS5): the keyword-only search.</summary>
    /// <param name="query">The words to look for (any of them; rarer words weigh more).</param>
    /// <param name="top">The most results.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The results, best first; the score is BM25's (higher is better).</returns>
    public async Task<IReadOnlyList<VectorSearchResult<KnowledgeBaseChunk>>> KeywordSearchAsync(string query, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        IReadOnlyList<(long Id, double Score)> ranked = await RankByKeywordsAsync(query, top, cancellationToken).ConfigureAwait(false);
        return await MaterializeAsync(ranked, null, 0, top, null, includeVectors: false, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(VectorStoreCollectionMetadata) ? _metadata
            : serviceType == typeof(IEmbeddingGenerator<string, Embedding<float>>) ? _generator
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseReader();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    internal static IReadOnlyList<(long Id, double Score)> Fuse(
        IReadOnlyList<(long Id, double Score)> vector,
        IReadOnlyList<(long Id, double Score)> keyword,
        Func<long, double> similarity,
        HybridSearchWeights weights)
    {
        // Every candidate of either list is scored on both: its cosine similarity, and its BM25 relative to the best keyword hit.
        double best = keyword.Count > 0 ? Math.Max(keyword.Max(k => k.Score), double.Epsilon) : 1;
        var bm25 = new Dictionary<long, double>(keyword.Count);
        foreach ((long id, double score) in keyword)
        {
            bm25[id] = score / best;
        }

        return vector.Select(v => v.Id).Concat(keyword.Select(k => k.Id)).Distinct()
            .Select(id => (Id: id, Score: (weights.Vector * similarity(id)) + (weights.Keyword * bm25.GetValueOrDefault(id))))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Id)
            .ToList();
    }

    internal static string ToFtsQuery(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (char c in text.Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                string term = word.ToString();
                word.Clear();
                if (!s_stopWords.Contains(term) && !terms.Contains(term, StringComparer.Ordinal))
                {
                    terms.Add(term);
                }
            }
        }

        return string.Join(" OR ", terms.Select(t => $"\"{t}\""));
    }

    internal static string HashInput(string input) => Convert.ToHexStringLower(XxHash128.Hash(MemoryMarshal.AsBytes(input.AsSpan())));

    private static float[] ToVector(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = Command(connection, sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        using SqliteCommand command = Command(connection, sql);
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static async Task WriteChunksAsync(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<KnowledgeBaseChunk> chunks, CancellationToken cancellationToken)
    {
        using SqliteCommand command = Command(connection, """
            INSERT INTO chunks(key, source, heading, line_start, line_end, page, text, tokens, input_hash, embedding)
            VALUES ($key, $source, $heading, $ls, $le, $page, $text, $tokens, $hash, $embedding)
            ON CONFLICT(key) DO UPDATE SET source = excluded.source, heading = excluded.heading, line_start = excluded.line_start,
                line_end = excluded.line_end, page = excluded.page, text = excluded.text, tokens = excluded.tokens,
                input_hash = excluded.input_hash, embedding = excluded.embedding
            """, transaction);
        foreach (KnowledgeBaseChunk chunk in chunks)
        {
            if (chunk.Embedding.IsEmpty)
            {
                throw new ArgumentException($"The chunk '{chunk.Key}' has no embedding.", nameof(chunks));
            }

            command.Parameters.Clear();
            command.Parameters.AddWithValue("$key", chunk.Key);
            command.Parameters.AddWithValue("$source", chunk.Source);
            command.Parameters.AddWithValue("$heading", chunk.Heading);
            command.Parameters.AddWithValue("$ls", chunk.LineStart);
            command.Parameters.AddWithValue("$le", chunk.LineEnd);
            command.Parameters.AddWithValue("$page", chunk.Page);
            command.Parameters.AddWithValue("$text", chunk.Text);
            command.Parameters.AddWithValue("$tokens", chunk.Tokens);
            command.Parameters.AddWithValue("$hash", HashInput(chunk.EmbeddingInput));
            command.Parameters.AddWithValue("$embedding", MemoryMarshal.AsBytes(chunk.Embedding.Span).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<List<KnowledgeBaseChunk>> ReadChunksAsync(SqliteCommand command, bool includeVectors, CancellationToken cancellationToken)
    {
        var chunks = new List<KnowledgeBaseChunk>();
        using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            chunks.Add(ReadChunk(reader, includeVectors));
        }

        return chunks;
    }

    /// <summary>Reads a row of <see cref="Columns"/> followed by <c>embedding</c>.</summary>
    private static KnowledgeBaseChunk ReadChunk(SqliteDataReader row, bool includeVectors) => new()
    {
        Key = row.GetString(1),
        Source = row.GetString(2),
        Heading = row.GetString(3),
        LineStart = row.GetInt32(4),
        LineEnd = row.GetInt32(5),
        Page = row.GetInt32(6),
        Text = row.GetString(7),
        Tokens = row.GetInt32(8),
        Embedding = includeVectors ? ToVector((byte[])row[9]) : default,
    };

    private KnowledgeBaseIndexException Damaged(string detail, Exception? inner) =>
        new($"The knowledge-base index '{FilePath}' is damaged ({detail}); nothing is answered from it. Delete the file and index the folder again: kb index <folder> --rebuild.", inner!) { RebuildFixes = true };

    private async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 11 or 26)
        {
            throw Damaged(ex.SqliteErrorCode == 26 ? "not a SQLite database" : "malformed", ex);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            throw new KnowledgeBaseIndexException($"'{FilePath}' is not a knowledge-base index of this version ({ex.Message}). Rebuild it: kb index <folder> --rebuild.", ex) { RebuildFixes = true };
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using SqliteCommand pragma = Command(connection, "PRAGMA busy_timeout = 5000;");
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<T> WithReaderAsync<T>(Func<SqliteConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_reader is null)
            {
                if (!File.Exists(FilePath))
                {
                    throw new KnowledgeBaseIndexException($"There is no knowledge-base index at '{FilePath}'. Build it with: kb index <folder>.") { RebuildFixes = true };
                }

                _reader = await OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_checked)
            {
                string check = await GuardAsync(() => ScalarAsync<string>(_reader, "PRAGMA quick_check(1)", cancellationToken)).ConfigureAwait(false);
                if (!string.Equals(check, "ok", StringComparison.Ordinal))
                {
                    throw Damaged(check, null);
                }

                _checked = true;
            }

            SqliteConnection reader = _reader;
            return await GuardAsync(() => read(reader)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CloseReader()
    {
        _reader?.Dispose();
        _reader = null;
        _snapshot = null;
        _checked = false;
    }

    private async Task<ReadOnlyMemory<float>> ToQueryVectorAsync<TInput>(TInput value, CancellationToken cancellationToken) => value switch
    {
        ReadOnlyMemory<float> memory => memory,
        float[] array => array,
        Embedding<float> embedding => embedding.Vector,
        string text when string.IsNullOrWhiteSpace(text) => throw new ArgumentException("The query is empty. Search for some words.", nameof(value)),
        string text when _generator is not null => await _generator.EmbedQueryAsync(text, cancellationToken: cancellationToken).ConfigureAwait(false),
        string => throw new NotSupportedException("Searching by text needs an embedding generator; create the collection with one, or search with a vector."),
        _ => throw new NotSupportedException($"Search values of type {typeof(TInput).Name} are not supported; use a string, ReadOnlyMemory<float>, float[] or Embedding<float>."),
    };

    private async Task<IReadOnlyList<(long Id, double Score)>> RankByVectorAsync(ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken)
    {
        Snapshot snapshot = await WithReaderAsync(LoadSnapshotAsync, cancellationToken).ConfigureAwait(false);
        return Snapshot.Top(snapshot.Ids, snapshot.Similarities(query), top);
    }

    private async Task<Snapshot> LoadSnapshotAsync(SqliteConnection reader)
    {
        long version = await ScalarAsync<long>(reader, "PRAGMA data_version", CancellationToken.None).ConfigureAwait(false);
        long count = await ScalarAsync<long>(reader, "SELECT count(*) FROM chunks", CancellationToken.None).ConfigureAwait(false);
        if (_snapshot is { } current && current.DataVersion == version && current.Ids.Length == count)
        {
            return current;
        }

        using SqliteTransaction transaction = reader.BeginTransaction();
        var ids = new List<long>();
        var vectors = new List<float>();
        int dimensions = 0;
        using (SqliteCommand command = Command(reader, "SELECT id, embedding FROM chunks ORDER BY id", transaction))
        {
            using SqliteDataReader rows = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await rows.ReadAsync().ConfigureAwait(false))
            {
                byte[] blob = (byte[])rows[1];
                ReadOnlySpan<float> vector = MemoryMarshal.Cast<byte, float>(blob);
                dimensions = dimensions == 0 ? vector.Length : dimensions;
                if (vector.Length != dimensions)
                {
                    throw Damaged($"chunk {rows.GetInt64(0)} has a {vector.Length}-dimensional embedding among {dimensions}-dimensional ones", null);
                }

                ids.Add(rows.GetInt64(0));
                vectors.AddRange(vector);
            }
        }

        _snapshot = new Snapshot(version, ids.ToArray(), vectors.ToArray(), dimensions);
        return _snapshot;
    }

    private async Task<IReadOnlyList<(long Id, double Score)>> RankByKeywordsAsync(string text, int top, CancellationToken cancellationToken)
    {
        string match = ToFtsQuery(text);
        if (match.Length == 0)
        {
            return [];
        }

        return await WithReaderAsync(async reader =>
        {
            using SqliteCommand command = Command(reader, "SELECT rowid, bm25(chunks_fts, 2.0, 1.0) FROM chunks_fts WHERE chunks_fts MATCH $match ORDER BY bm25(chunks_fts, 2.0, 1.0) LIMIT $top");
            command.Parameters.AddWithValue("$match", match);
            command.Parameters.AddWithValue("$top", Math.Min(top, 100_000));
            var ranked = new List<(long, double)>();
            using SqliteDataReader rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ranked.Add((rows.GetInt64(0), -rows.GetDouble(1)));
            }

            return (IReadOnlyList<(long, double)>)ranked;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<VectorSearchResult<KnowledgeBaseChunk>>> MaterializeAsync(
        IReadOnlyList<(long Id, double Score)> ranked,
        Expression<Func<KnowledgeBaseChunk, bool>>? filter,
        int skip,
        int top,
        double? threshold,
        bool includeVectors,
        CancellationToken cancellationToken)
    {
        Func<KnowledgeBaseChunk, bool>? predicate = filter?.Compile();
        var results = new List<VectorSearchResult<KnowledgeBaseChunk>>();
        int skipped = 0;
        const int Page = 64;
        for (int offset = 0; offset < ranked.Count && results.Count < top; offset += Page)
        {
            List<(long Id, double Score)> page = ranked.Skip(offset).Take(Page).ToList();
            Dictionary<long, KnowledgeBaseChunk> records = await WithReaderAsync(async reader =>
            {
                string ids = string.Join(',', page.Select(p => p.Id.ToString(CultureInfo.InvariantCulture)));
                using SqliteCommand command = Command(reader, $"SELECT {Columns}, embedding FROM chunks WHERE id IN ({ids})");
                var byId = new Dictionary<long, KnowledgeBaseChunk>();
                using SqliteDataReader rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    byId[rows.GetInt64(0)] = ReadChunk(rows, includeVectors);
                }

                return byId;
            }, cancellationToken).ConfigureAwait(false);

            foreach ((long id, double score) in page)
            {
                if (!records.TryGetValue(id, out KnowledgeBaseChunk? record) || (predicate is not null && !predicate(record)) || (threshold is { } min && score < min))
                {
                    continue;
                }

                if (skipped++ < skip)
                {
                    continue;
                }

                results.Add(new VectorSearchResult<KnowledgeBaseChunk>(record, score));
                if (results.Count == top)
                {
                    break;
                }
            }
        }

        return results;
    }

    private sealed class Snapshot(long dataVersion, long[] ids, float[] vectors, int dimensions)
    {
        private readonly Dictionary<long, int> _index = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);

        public long DataVersion { get; } = dataVersion;

        public long[] Ids { get; } = ids;

        public int IndexOf(long id) => _index[id];

        /// <summary>The cosine similarity of every chunk to the query (embeddings are normalized, so a dot product).</summary>
        public float[] Similarities(ReadOnlyMemory<float> query)
        {
            if (Ids.Length > 0 && query.Length != dimensions)
            {
                throw new ArgumentException($"The query vector has {query.Length} dimensions; the index holds {dimensions}-dimensional embeddings. Search with the embedder the index was built with.", nameof(query));
            }

            ReadOnlySpan<float> q = query.Span;
            var scores = new float[Ids.Length];
            for (int i = 0; i < scores.Length; i++)
            {
                scores[i] = TensorPrimitives.Dot(q, vectors.AsSpan(i * dimensions, dimensions));
            }

            return scores;
        }

        /// <summary>The <paramref name="top"/> best scores, best first (a bounded heap: no full sort of every chunk).</summary>
        public static List<(long Id, double Score)> Top(long[] ids, float[] scores, int top)
        {
            int take = Math.Min(top, ids.Length);
            var heap = new PriorityQueue<int, float>(take + 1);
            for (int i = 0; i < scores.Length && take > 0; i++)
            {
                if (heap.Count < take)
                {
                    heap.Enqueue(i, scores[i]);
                }
                else if (heap.TryPeek(out _, out float lowest) && scores[i] > lowest)
                {
                    heap.EnqueueDequeue(i, scores[i]);
                }
            }

            var ranked = new List<(long Id, double Score)>(heap.Count);
            while (heap.TryDequeue(out int i, out float score))
            {
                ranked.Add((ids[i], score));
            }

            ranked.Reverse();
            return ranked;
        }
    }
}

/// <summary>A document as the index holds it.</summary>
/// <param name="Source">Its path relative to the knowledge-base folder.</param>
/// <param name="Hash">The hash of its content when indexed.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Chunks">How many chunks it gave.</param>
/// <param name="Note">A remark from reading it (e.g. not UTF-8), or why it was skipped.</param>
public sealed record IndexedDocument(string Source, string Hash, long Bytes, int Chunks, string? Note);
