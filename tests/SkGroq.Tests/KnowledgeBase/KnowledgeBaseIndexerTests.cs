using Microsoft.Data.Sqlite;
using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Ingestion;
using SkGroq.KnowledgeBase.Search;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>Indexing a real folder into a real SQLite file: incremental runs, bad files, damaged indexes, interrupted runs.</summary>
public sealed class KnowledgeBaseIndexerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IndexAsync_UnchangedFolder_SecondRunEmbedsNothing()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        using LocalKnowledgeBase kb = Open(folder, out CountingEmbeddingGenerator counting);

        IndexReport first = await kb.IndexAsync(cancellationToken: Ct);
        int embeddedFirst = counting.Texts;
        IndexReport second = await kb.IndexAsync(cancellationToken: Ct);

        Assert.Equal(13, first.Added.Count);
        Assert.Equal(first.Chunks, first.ChunksEmbedded);
        Assert.Equal(first.Chunks, embeddedFirst);
        Assert.Equal((0, 13, 0), (second.ChunksEmbedded, second.Unchanged, counting.Texts - embeddedFirst));
        Assert.Empty(second.Added.Concat(second.Changed).Concat(second.Removed));
        Assert.Null(await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, Ct));
    }

    [Fact]
    public async Task IndexAsync_OneFileEdited_OnlyItsChangedChunksAreEmbedded_AndARemovedFileIsDropped()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        using LocalKnowledgeBase kb = Open(folder, out CountingEmbeddingGenerator counting);
        await kb.IndexAsync(cancellationToken: Ct);
        int before = counting.Texts;

        string policy = Path.Combine(folder.Docs, "expense-policy.md");
        await File.WriteAllTextAsync(policy, (await File.ReadAllTextAsync(policy, Ct)).Replace("60 EUR per day", "75 EUR per day", StringComparison.Ordinal), Ct);
        File.Delete(Path.Combine(folder.Docs, "product-faq.md"));
        Assert.Equal("expense-policy.md changed", await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, Ct));

        IndexReport report = await kb.IndexAsync(cancellationToken: Ct);

        Assert.Equal(["expense-policy.md"], report.Changed);
        Assert.Equal(["product-faq.md"], report.Removed);
        Assert.Equal(11, report.Unchanged);
        Assert.Equal(1, report.ChunksEmbedded);
        Assert.True(report.ChunksReused >= 1, "the unchanged sections of the edited file keep their embeddings");
        Assert.Equal(1, counting.Texts - before);

        IReadOnlyList<KnowledgeBaseHit> hits = await kb.Searcher.SearchAsync("meal allowance per day while travelling", 5, cancellationToken: Ct);
        Assert.Contains("75 EUR", hits[0].Chunk.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(hits, h => h.Chunk.Source == "product-faq.md");
    }

    [Fact]
    public async Task IndexAsync_BadFiles_AreSkippedAndListed_AndDoNotMakeTheIndexStale()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        File.WriteAllBytes(Path.Combine(folder.Docs, "archive.md"), [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00]);
        File.WriteAllBytes(Path.Combine(folder.Docs, "scan.pdf"), DocumentReaderTests.Pdf([]));
        File.WriteAllBytes(Path.Combine(folder.Docs, "menu.txt"), System.Text.Encoding.Latin1.GetBytes("Crème brûlée on Fridays."));
        using (FileStream huge = File.Create(Path.Combine(folder.Docs, "dump.txt")))
        {
            huge.SetLength(100L * 1024 * 1024);
        }

        // A file that cannot be read (a link to nothing: a permission problem cannot be staged for a test running as root).
        File.CreateSymbolicLink(Path.Combine(folder.Docs, "moved.md"), Path.Combine(folder.Root, "gone.md"));

        using LocalKnowledgeBase kb = Open(folder, out CountingEmbeddingGenerator counting);

        IndexReport report = await kb.IndexAsync(cancellationToken: Ct);

        Assert.Equal(["archive.md", "dump.txt", "moved.md", "scan.pdf"], report.Skipped.Select(s => s.Source).Order(StringComparer.Ordinal));
        Assert.StartsWith("cannot be read (", report.Skipped.Single(s => s.Source == "moved.md").Reason, StringComparison.Ordinal);
        Assert.Contains("binary", report.Skipped.Single(s => s.Source == "archive.md").Reason, StringComparison.Ordinal);
        Assert.Contains("100 MB is over the 20 MB limit", report.Skipped.Single(s => s.Source == "dump.txt").Reason, StringComparison.Ordinal);
        Assert.Contains("OCR", report.Skipped.Single(s => s.Source == "scan.pdf").Reason, StringComparison.Ordinal);
        Assert.Equal("menu.txt", Assert.Single(report.Notes).Source);
        Assert.Equal(14, report.Documents);

        int before = counting.Texts;
        Assert.Null(await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, Ct));
        IndexReport again = await kb.IndexAsync(cancellationToken: Ct);
        Assert.Equal(4, again.Skipped.Count);
        Assert.Equal(0, counting.Texts - before);
    }

    [Fact]
    public async Task IndexAsync_MissingOrEmptyFolder_SaysWhatToDo()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Docs);
        File.WriteAllText(Path.Combine(folder.Docs, "image.png"), "not a document");
        using LocalKnowledgeBase kb = Open(folder, out _);

        var empty = await Assert.ThrowsAsync<InvalidOperationException>(() => kb.IndexAsync(cancellationToken: Ct));
        Assert.Contains("holds no .md, .markdown, .txt or .pdf files", empty.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => kb.Indexer.IndexAsync(Path.Combine(folder.Root, "nope"), kb.Store, cancellationToken: Ct));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAsync_CancelledWhileEmbedding_LeavesThePublishedIndexAsItWas()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        using LocalKnowledgeBase kb = Open(folder, out _);
        await kb.IndexAsync(cancellationToken: Ct);
        IReadOnlyDictionary<string, IndexedDocument> before = await kb.Store.GetDocumentsAsync(Ct);

        for (int i = 0; i < 40; i++)
        {
            folder.Write($"new/note-{i}.md", $"# Note {i}\n\nA note about topic {i} with enough words to be its own chunk.");
        }

        File.Delete(Path.Combine(folder.Docs, "vacation-policy.md"));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SynchronousProgress(p =>
        {
            if (p.ChunksEmbedded > 0)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kb.Indexer.IndexAsync(kb.Folder, kb.Store, progress: progress, cancellationToken: cancel.Token));

        IReadOnlyDictionary<string, IndexedDocument> after = await kb.Store.GetDocumentsAsync(Ct);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        IReadOnlyList<KnowledgeBaseHit> hits = await kb.Searcher.SearchAsync("carry over unused vacation days", 3, cancellationToken: Ct);
        Assert.Equal("vacation-policy.md", hits[0].Chunk.Source);
    }

    [Fact]
    public async Task DamagedIndex_IsNeverAnsweredFrom_AndIndexingRebuildsIt()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        await File.WriteAllBytesAsync(folder.Index, System.Text.Encoding.ASCII.GetBytes(new string('x', 8192)), Ct);
        using LocalKnowledgeBase kb = Open(folder, out _);

        var ex = await Assert.ThrowsAsync<KnowledgeBaseIndexException>(() => kb.Searcher.SearchAsync("vacation", 3, cancellationToken: Ct));
        Assert.Contains("is damaged", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--rebuild", ex.Message, StringComparison.Ordinal);

        IndexReport report = await kb.IndexAsync(cancellationToken: Ct);

        Assert.Contains("damaged", report.RebuiltBecause, StringComparison.Ordinal);
        Assert.Equal(13, report.Documents);
    }

    [Fact]
    public async Task TruncatedIndex_IsReportedAsDamaged()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        using (LocalKnowledgeBase kb = Open(folder, out _))
        {
            await kb.IndexAsync(cancellationToken: Ct);
        }

        Checkpoint(folder.Index);
        using (FileStream file = File.Open(folder.Index, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        using LocalKnowledgeBase reopened = Open(folder, out _);
        var ex = await Assert.ThrowsAsync<KnowledgeBaseIndexException>(() => reopened.Store.ValidateAsync(cancellationToken: Ct));
        Assert.Contains("damaged", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.RebuildFixes);
    }

    [Fact]
    public async Task IndexFromAnOlderSchema_OrAnotherEmbedder_SaysToRebuild()
    {
        using TempFolder folder = KnowledgeBaseTestSupport.CopySamples();
        using LocalKnowledgeBase kb = Open(folder, out _);
        await kb.IndexAsync(cancellationToken: Ct);

        var other = await Assert.ThrowsAsync<KnowledgeBaseIndexException>(() => kb.Store.ValidateAsync("snowflake-arctic-embed-xs/384", Ct));
        Assert.Contains("was built with the embedder all-MiniLM-L6-v2/384", other.Message, StringComparison.Ordinal);

        using (var connection = new SqliteConnection($"Data Source={folder.Index};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = '0' WHERE key = 'schema_version'";
            command.ExecuteNonQuery();
        }

        var old = await Assert.ThrowsAsync<KnowledgeBaseIndexException>(() => kb.Store.ValidateAsync(cancellationToken: Ct));
        Assert.Contains("schema version 0", old.Message, StringComparison.Ordinal);
        Assert.Contains("kb index <folder> --rebuild", old.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 0", await kb.Indexer.CheckStaleAsync(kb.Folder, kb.Store, Ct), StringComparison.Ordinal);
    }

    private static LocalKnowledgeBase Open(TempFolder folder, out CountingEmbeddingGenerator counting)
    {
        counting = new CountingEmbeddingGenerator(KnowledgeBaseTestSupport.Embedder);
        LocalKnowledgeBaseOptions options = KnowledgeBaseTestSupport.Options(folder.Index);
        options.Embedder = counting;
        return LocalKnowledgeBase.Create(folder.Docs, options);
    }

    private static void Checkpoint(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
        command.ExecuteNonQuery();
    }

    private sealed class SynchronousProgress(Action<IndexProgress> report) : IProgress<IndexProgress>
    {
        public void Report(IndexProgress value) => report(value);
    }
}
