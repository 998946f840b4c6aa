using Microsoft.Extensions.AI;
using SkGroq.KnowledgeBase.Embeddings;

namespace SkGroq.Tests.KnowledgeBase;

public sealed class LocalEmbeddingGeneratorTests
{
    private static LocalEmbeddingGenerator Embedder => KnowledgeBaseTestSupport.Embedder;

    [Fact]
    public void Tokenize_FollowsBertsBasicRules_AsciiSymbolsKeptAccentsStripped()
    {
        // [CLS] a $ + < = > ^ ` | ~ b cafe [SEP]: what BERT's reference tokenizer gives (ML.Tokenizers' own basic step drops the symbols).
        Assert.Equal([101, 1037, 1002, 1009, 1026, 1027, 1028, 1034, 1036, 1064, 1066, 1038, 7668, 102], Embedder.Tokenize("A $ + < = > ^ ` | ~ b Café"));
    }

    [Fact]
    public void Tokenize_LongText_IsCutAtTheModelsLimitKeepingSep()
    {
        IReadOnlyList<int> ids = Embedder.Tokenize(string.Join(' ', Enumerable.Repeat("word", 400)));

        Assert.Equal(256, ids.Count);
        Assert.Equal((101, 102), (ids[0], ids[^1]));
    }

    [Fact]
    public async Task Generate_BatchedByLength_GivesTheSameVectorsAsOneByOne()
    {
        string[] texts = ["short", "a somewhat longer sentence about vacation days", "x", string.Join(' ', Enumerable.Repeat("policy", 60)), "medium length text here"];
        using var uncached = new LocalEmbeddingGenerator(LocalEmbeddingModel.MiniLM, new LocalEmbeddingOptions { CacheEntries = 0, MaxBatchSize = 4 });

        GeneratedEmbeddings<Embedding<float>> batched = await uncached.GenerateAsync(texts, cancellationToken: TestContext.Current.CancellationToken);
        var single = new List<Embedding<float>>();
        foreach (string text in texts)
        {
            single.Add(await uncached.GenerateAsync(text, cancellationToken: TestContext.Current.CancellationToken));
        }

        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(384, batched[i].Vector.Length);
            Assert.True(System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(batched[i].Vector.Span, single[i].Vector.Span) > 0.99999, texts[i]);
            Assert.Equal(1.0, System.Numerics.Tensors.TensorPrimitives.Norm(batched[i].Vector.Span), 4);
        }

        Assert.True(uncached.ModelRuns < texts.Length * 2, "the batch call ran fewer model runs than one per text");
    }

    [Fact]
    public async Task Generate_RepeatedText_IsServedFromTheCache()
    {
        using var generator = new LocalEmbeddingGenerator(LocalEmbeddingModel.MiniLM);
        await generator.GenerateAsync(["the same text"], cancellationToken: TestContext.Current.CancellationToken);
        long embedded = generator.TextsEmbedded;

        await generator.GenerateAsync(["the same text"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(embedded, generator.TextsEmbedded);
    }

    [Fact]
    public async Task EmbedQuery_ArcticPutsTheModelCardsPrefixInFront_MiniLmDoesNot()
    {
        Assert.Equal("Represent this sentence for searching relevant passages: ", LocalEmbeddingModel.ArcticXs.QueryPrefix);
        Assert.Empty(LocalEmbeddingModel.MiniLM.QueryPrefix);

        ReadOnlyMemory<float> query = await Embedder.EmbedQueryAsync("vacation", cancellationToken: TestContext.Current.CancellationToken);
        Embedding<float> plain = await Embedder.GenerateAsync("vacation", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(plain.Vector.ToArray(), query.ToArray());
        Assert.False(Embedder.IsLoaded && Embedder.LoadTime == TimeSpan.Zero);
    }

    [Fact]
    public void Find_UnknownModel_SaysWhichExist()
    {
        var ex = Assert.Throws<ArgumentException>(() => LocalEmbeddingModel.Find("bert-huge"));

        Assert.Contains("snowflake-arctic-embed-xs or all-MiniLM-L6-v2", ex.Message, StringComparison.Ordinal);
        Assert.Same(LocalEmbeddingModel.ArcticXs, LocalEmbeddingModel.Find("arctic-xs"));
    }
}
