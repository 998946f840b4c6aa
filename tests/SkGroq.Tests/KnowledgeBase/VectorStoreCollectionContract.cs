using Microsoft.Extensions.VectorData;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>
/// What any Microsoft.Extensions.VectorData collection of <see cref="KnowledgeBaseChunk"/> must do for the knowledge-base
/// agent to work on it unchanged. Derive once per store (the built-in SQLite store below; a Qdrant, Postgres or Redis
/// collection the same way) and the whole suite runs against it.
/// </summary>
public abstract class VectorStoreCollectionContract
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates an empty collection (not yet created in its store) with the shared embedding generator.</summary>
    protected abstract Task<VectorStoreCollection<string, KnowledgeBaseChunk>> CreateAsync();

    [Fact]
    public async Task Collection_CanBeCreatedAndDeleted()
    {
        using VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateAsync();

        Assert.False(await collection.CollectionExistsAsync(Ct));
        await collection.EnsureCollectionExistsAsync(Ct);
        await collection.EnsureCollectionExistsAsync(Ct);
        Assert.True(await collection.CollectionExistsAsync(Ct));
        await collection.EnsureCollectionDeletedAsync(Ct);
        Assert.False(await collection.CollectionExistsAsync(Ct));
    }

    [Fact]
    public async Task Upsert_ThenGet_RoundTripsEveryField_VectorsOnlyWhenAsked()
    {
        using VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateFilledAsync();

        KnowledgeBaseChunk? withVectors = await collection.GetAsync("b.md#1", new RecordRetrievalOptions { IncludeVectors = true }, Ct);
        KnowledgeBaseChunk? without = await collection.GetAsync("b.md#1", cancellationToken: Ct);

        Assert.NotNull(withVectors);
        Assert.Equal(("b.md", "B › Part", 3, 9, 0, "beta text", 2), (withVectors.Source, withVectors.Heading, withVectors.LineStart, withVectors.LineEnd, withVectors.Page, withVectors.Text, withVectors.Tokens));
        Assert.Equal(Basis(1).ToArray(), withVectors.Embedding.ToArray());
        Assert.True(without!.Embedding.IsEmpty);
        Assert.Null(await collection.GetAsync("missing#1", cancellationToken: Ct));
    }

    [Fact]
    public async Task Upsert_SameKey_Replaces_AndDeleteRemoves()
    {
        using VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateFilledAsync();

        await collection.UpsertAsync(Chunk("a.md#1", "a.md", "alpha rewritten", Basis(0)), Ct);
        await collection.DeleteAsync("c.md#1", Ct);
        await collection.DeleteAsync("never-there#1", Ct);

        Assert.Equal("alpha rewritten", (await collection.GetAsync("a.md#1", cancellationToken: Ct))!.Text);
        Assert.Null(await collection.GetAsync("c.md#1", cancellationToken: Ct));
        Assert.Equal(2, await collection.GetAsync(_ => true, 10, cancellationToken: Ct).CountAsync(Ct));
    }

    [Fact]
    public async Task Search_ByVector_RanksByCosineSimilarity_WithTopSkipFilterAndThreshold()
    {
        using VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateFilledAsync();
        ReadOnlyMemory<float> query = Mix((0, 0.9f), (1, 0.4f), (2, 0.1f));

        List<VectorSearchResult<KnowledgeBaseChunk>> all = await collection.SearchAsync(query, 3, cancellationToken: Ct).ToListAsync(Ct);
        List<VectorSearchResult<KnowledgeBaseChunk>> skipped = await collection.SearchAsync(query, 1, new VectorSearchOptions<KnowledgeBaseChunk> { Skip = 1 }, Ct).ToListAsync(Ct);
        List<VectorSearchResult<KnowledgeBaseChunk>> filtered = await collection.SearchAsync(query, 3, new VectorSearchOptions<KnowledgeBaseChunk> { Filter = c => c.Source != "a.md" }, Ct).ToListAsync(Ct);
        List<VectorSearchResult<KnowledgeBaseChunk>> above = await collection.SearchAsync(query, 3, new VectorSearchOptions<KnowledgeBaseChunk> { ScoreThreshold = 0.3 }, Ct).ToListAsync(Ct);

        Assert.Equal(["a.md", "b.md", "c.md"], all.Select(r => r.Record.Source));
        Assert.Equal(0.9 / Math.Sqrt(0.98), all[0].Score!.Value, 3);
        Assert.Equal(["b.md"], skipped.Select(r => r.Record.Source));
        Assert.Equal(["b.md", "c.md"], filtered.Select(r => r.Record.Source));
        Assert.Equal(["a.md", "b.md"], above.Select(r => r.Record.Source));
    }

    [Fact]
    public async Task Search_ByText_EmbedsTheQueryWithTheCollectionsGenerator()
    {
        using VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateAsync();
        await collection.EnsureCollectionExistsAsync(Ct);
        await collection.UpsertAsync(
            [
                Chunk("pets.md#1", "pets.md", "Dogs are welcome in the office on Fridays.", default),
                Chunk("pay.md#1", "pay.md", "Salaries are reviewed once a year in April.", default),
            ],
            Ct);

        List<VectorSearchResult<KnowledgeBaseChunk>> hits = await collection.SearchAsync("Can I bring my puppy to work?", 2, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("pets.md", hits[0].Record.Source);
        Assert.True(hits[0].Score > hits[1].Score);
    }

    [Fact]
    public async Task HybridSearch_WhenSupported_LiftsAnExactTermAmongEquallySimilarPassages()
    {
        using VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateAsync();
        if (collection is not IKeywordHybridSearchable<KnowledgeBaseChunk> hybrid)
        {
            return;
        }

        await collection.EnsureCollectionExistsAsync(Ct);
        ReadOnlyMemory<float> same = Basis(5);
        await collection.UpsertAsync(
            [
                Chunk("x.md#1", "x.md", "General remarks about travel.", same),
                Chunk("y.md#1", "y.md", "Premium economy is allowed on long flights.", same),
            ],
            Ct);

        List<VectorSearchResult<KnowledgeBaseChunk>> hits = await hybrid.HybridSearchAsync(same, ["premium economy"], 2, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(["y.md", "x.md"], hits.Select(h => h.Record.Source));
    }

    protected static ReadOnlyMemory<float> Basis(int axis) => Mix((axis, 1f));

    protected static ReadOnlyMemory<float> Mix(params (int Axis, float Weight)[] parts)
    {
        var vector = new float[KnowledgeBaseChunk.Dimensions];
        foreach ((int axis, float weight) in parts)
        {
            vector[axis] = weight;
        }

        float norm = System.Numerics.Tensors.TensorPrimitives.Norm<float>(vector);
        System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static KnowledgeBaseChunk Chunk(string key, string source, string text, ReadOnlyMemory<float> embedding) => new()
    {
        Key = key,
        Source = source,
        Heading = source[..1].ToUpperInvariant() + " › Part",
        LineStart = 3,
        LineEnd = 9,
        Text = text,
        Tokens = 2,
        Embedding = embedding,
    };

    private async Task<VectorStoreCollection<string, KnowledgeBaseChunk>> CreateFilledAsync()
    {
        VectorStoreCollection<string, KnowledgeBaseChunk> collection = await CreateAsync();
        await collection.EnsureCollectionExistsAsync(Ct);
        await collection.UpsertAsync(
            [
                Chunk("a.md#1", "a.md", "alpha text", Basis(0)),
                Chunk("b.md#1", "b.md", "beta text", Basis(1)),
                Chunk("c.md#1", "c.md", "gamma text", Basis(2)),
            ],
            Ct);
        return collection;
    }
}

/// <summary>The contract, run against the built-in SQLite store on a real file.</summary>
public sealed class SqliteKnowledgeBaseStoreContractTests : VectorStoreCollectionContract, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override Task<VectorStoreCollection<string, KnowledgeBaseChunk>> CreateAsync() =>
        Task.FromResult<VectorStoreCollection<string, KnowledgeBaseChunk>>(new SqliteKnowledgeBaseStore(_folder.Index, KnowledgeBaseTestSupport.Embedder));
}
