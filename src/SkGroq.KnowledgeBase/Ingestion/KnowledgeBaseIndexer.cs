using System.Globalization;
using System.IO.Hashing;
using Microsoft.Extensions.AI;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>
/// Builds and updates a knowledge-base index from a folder: reads every Markdown, text and PDF file, cuts it into chunks,
/// embeds them and publishes the result in one transaction. Incremental: a document whose content hash is unchanged is not
/// read again, and a changed one keeps the embeddings of its unchanged chunks.
/// </summary>
public sealed class KnowledgeBaseIndexer
{
    private const int EmbedBatch = 32;
    private const string SkippedNote = "skipped: ";
    private const string UnreadableHash = "unreadable";
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly Chunker _chunker;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="KnowledgeBaseIndexer"/> class.</summary>
    /// <param name="generator">The embedder.</param>
    /// <param name="chunker">Cuts documents into chunks.</param>
    /// <param name="timeProvider">The clock for progress and the report; <see langword="null"/> for the system clock.</param>
    public KnowledgeBaseIndexer(IEmbeddingGenerator<string, Embedding<float>> generator, Chunker chunker, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(chunker);
        _generator = generator;
        _chunker = chunker;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets or sets the largest file read; larger files are skipped and listed. Default <see cref="DocumentReader.DefaultMaxFileBytes"/>.</summary>
    public long MaxFileBytes { get; set; } = DocumentReader.DefaultMaxFileBytes;

    /// <summary>Gets the embedder's id as the index records it (model and dimensions).</summary>
    public string EmbedderId
    {
        get
        {
            EmbeddingGeneratorMetadata? metadata = _generator.GetService<EmbeddingGeneratorMetadata>();
            return $"{metadata?.DefaultModelId ?? "unknown"}/{metadata?.DefaultModelDimensions?.ToString(CultureInfo.InvariantCulture) ?? "?"}";
        }
    }

    /// <summary>Indexes a folder into a store.</summary>
    /// <param name="folder">The folder of documents.</param>
    /// <param name="store">The index.</param>
    /// <param name="rebuild"><see langword="true"/> to start from an empty index.</param>
    /// <param name="progress">Told of progress; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the run; the index stays as it was.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidOperationException">The folder holds no documents.</exception>
    public async Task<IndexReport> IndexAsync(string folder, SqliteKnowledgeBaseStore store, bool rebuild = false, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(store);
        long started = _time.GetTimestamp();
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The knowledge-base folder '{root}' does not exist. Point it at a folder of .md, .txt or .pdf files.");
        }

        IReadOnlyList<(string Path, string Source)> files = DocumentReader.List(root);
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"The knowledge-base folder '{root}' holds no .md, .markdown, .txt or .pdf files. Add documents or point at another folder.");
        }

        string? rebuiltBecause = rebuild ? "asked to rebuild" : null;
        if (!rebuild && File.Exists(store.FilePath))
        {
            try
            {
                await store.ValidateAsync(EmbedderId, cancellationToken).ConfigureAwait(false);
            }
            catch (KnowledgeBaseIndexException ex) when (ex.RebuildFixes)
            {
                rebuiltBecause = ex.Message;
            }
        }

        if (rebuiltBecause is not null)
        {
            await store.EnsureCollectionDeletedAsync(cancellationToken).ConfigureAwait(false);
        }

        await store.EnsureCollectionExistsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, IndexedDocument> existing = await store.GetDocumentsAsync(cancellationToken).ConfigureAwait(false);

        var added = new List<string>();
        var changed = new List<string>();
        var skipped = new List<(string, string)>();
        var notes = new List<(string, string)>();
        var work = new List<(IndexedDocument Document, IReadOnlyList<Chunk> Chunks)>();
        int unchanged = 0;
        int done = 0;
        foreach ((string path, string source) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            done++;
            (byte[]? bytes, string hash, string? skip) = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);

            if (existing.TryGetValue(source, out IndexedDocument? before) && before.Hash == hash)
            {
                unchanged++;
                if (before.Note?.StartsWith(SkippedNote, StringComparison.Ordinal) == true)
                {
                    skipped.Add((source, before.Note[SkippedNote.Length..]));
                }

                continue;
            }

            DocumentReadResult read = bytes is null ? new DocumentReadResult([], skip, null) : DocumentReader.Read(bytes, source);
            if (read.SkipReason is not null)
            {
                // Recorded with no chunks, so an unchanged unreadable file is not read again and does not make the index look stale.
                skipped.Add((source, read.SkipReason));
                (before is null ? added : changed).Add(source);
                work.Add((new IndexedDocument(source, hash, bytes?.LongLength ?? 0, 0, SkippedNote + read.SkipReason), []));
                continue;
            }

            if (read.Note is not null)
            {
                notes.Add((source, read.Note));
            }

            IReadOnlyList<Chunk> chunks = _chunker.Cut(read.Sections);
            (before is null ? added : changed).Add(source);
            work.Add((new IndexedDocument(source, hash, bytes!.LongLength, chunks.Count, read.Note), chunks));
            progress?.Report(new IndexProgress(done, files.Count, 0, 0, _time.GetElapsedTime(started)));
        }

        HashSet<string> present = files.Select(f => f.Source).ToHashSet(StringComparer.Ordinal);
        List<string> removed = existing.Keys.Where(s => !present.Contains(s)).Order(StringComparer.Ordinal).ToList();

        // Embed what is new; a chunk whose text is unchanged keeps its stored embedding.
        IReadOnlyDictionary<string, float[]> stored = await store.GetEmbeddingsAsync(changed, cancellationToken).ConfigureAwait(false);
        var records = new List<(IndexedDocument, IReadOnlyList<KnowledgeBaseChunk>)>();
        var toEmbed = new List<KnowledgeBaseChunk>();
        int reused = 0;
        foreach ((IndexedDocument document, IReadOnlyList<Chunk> chunks) in work)
        {
            var list = new List<KnowledgeBaseChunk>(chunks.Count);
            for (int i = 0; i < chunks.Count; i++)
            {
                Chunk c = chunks[i];
                var record = new KnowledgeBaseChunk
                {
                    Key = string.Create(CultureInfo.InvariantCulture, $"{document.Source}#{i + 1}"),
                    Source = document.Source,
                    Heading = c.Heading,
                    LineStart = c.LineStart,
                    LineEnd = c.LineEnd,
                    Page = c.Page ?? 0,
                    Text = c.Text,
                    Tokens = c.Tokens,
                };
                if (stored.TryGetValue(SqliteKnowledgeBaseStore.HashInput(record.EmbeddingInput), out float[]? vector))
                {
                    record.Embedding = vector;
                    reused++;
                }
                else
                {
                    toEmbed.Add(record);
                }

                list.Add(record);
            }

            records.Add((document, list));
        }

        long embedStarted = _time.GetTimestamp();
        for (int i = 0; i < toEmbed.Count; i += EmbedBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<KnowledgeBaseChunk> batch = toEmbed.GetRange(i, Math.Min(EmbedBatch, toEmbed.Count - i));
            GeneratedEmbeddings<Embedding<float>> embeddings = await _generator.GenerateAsync(batch.Select(c => c.EmbeddingInput), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < batch.Count; j++)
            {
                batch[j].Embedding = embeddings[j].Vector;
            }

            progress?.Report(new IndexProgress(files.Count, files.Count, i + batch.Count, toEmbed.Count, _time.GetElapsedTime(started)));
        }

        TimeSpan embeddingTime = _time.GetElapsedTime(embedStarted);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["embedder"] = EmbedderId,
            ["folder"] = root,
            ["indexed_at"] = _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
        await store.PublishAsync(removed.Concat(changed), records, metadata, cancellationToken).ConfigureAwait(false);
        (int documents, int chunkCount, _) = await store.CountAsync(cancellationToken).ConfigureAwait(false);
        return new IndexReport
        {
            Folder = root,
            IndexPath = store.FilePath,
            Embedder = EmbedderId,
            Documents = documents,
            Chunks = chunkCount,
            Added = added,
            Changed = changed,
            Removed = removed,
            Unchanged = unchanged,
            Skipped = skipped,
            Notes = notes,
            ChunksEmbedded = toEmbed.Count,
            ChunksReused = reused,
            RebuiltBecause = rebuiltBecause,
            Elapsed = _time.GetElapsedTime(started),
            EmbeddingTime = embeddingTime,
        };
    }

    /// <summary>Tells whether an index is missing or out of date with its folder (a document added, changed or removed).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="store">The index.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Why the index needs indexing; <see langword="null"/> when it is current.</returns>
    public async Task<string?> CheckStaleAsync(string folder, SqliteKnowledgeBaseStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!File.Exists(store.FilePath))
        {
            return "there is no index yet";
        }

        try
        {
            await store.ValidateAsync(EmbedderId, cancellationToken).ConfigureAwait(false);
        }
        catch (KnowledgeBaseIndexException ex) when (ex.RebuildFixes)
        {
            return ex.Message;
        }

        IReadOnlyDictionary<string, IndexedDocument> existing = await store.GetDocumentsAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<(string Path, string Source)> files = DocumentReader.List(Path.GetFullPath(folder));
        foreach ((string path, string source) in files)
        {
            if (!existing.TryGetValue(source, out IndexedDocument? document))
            {
                return $"{source} is new";
            }

            (_, string hash, _) = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (hash != document.Hash)
            {
                return $"{source} changed";
            }
        }

        string? gone = existing.Keys.FirstOrDefault(s => !files.Any(f => f.Source == s));
        return gone is null ? null : $"{gone} was removed";
    }

    /// <summary>
    /// Reads a file and hashes its content. A file over <see cref="MaxFileBytes"/> is not read (its hash stands for its size)
    /// and an unreadable one gets a fixed hash, so that both are remembered as skipped and do not make the index look stale.
    /// </summary>
    private async Task<(byte[]? Bytes, string Hash, string? SkipReason)> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                return (null, string.Create(CultureInfo.InvariantCulture, $"over-limit:{length}"), $"{length / (1024.0 * 1024):F0} MB is over the {MaxFileBytes / (1024 * 1024)} MB limit; split the document or raise the limit");
            }

            byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return (bytes, Convert.ToHexStringLower(XxHash128.Hash(bytes)), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, UnreadableHash, $"cannot be read ({ex.Message}); check that it exists and its permissions");
        }
    }
}
