using SkGroq.KnowledgeBase.Search;

namespace SkGroq.Tests.KnowledgeBase;

public sealed class KnowledgeBaseSearcherTests(SampleKnowledgeBaseFixture kb) : IClassFixture<SampleKnowledgeBaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KnowledgeBaseSearcher Searcher => kb.KnowledgeBase.Searcher;

    [Theory]
    [InlineData(RetrievalMode.Vector)]
    [InlineData(RetrievalMode.Hybrid)]
    public async Task Search_QuestionInTheEmployeesOwnWords_FindsThePolicyByMeaning(RetrievalMode mode)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await Searcher.SearchAsync("can I take time off to look after a newborn?", 5, mode, Ct);

        Assert.Equal("parental-leave.md", hits[0].Chunk.Source);
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best first");
    }

    [Fact]
    public async Task Search_KeywordOnly_MissesTheParaphrase_ButFindsExactTerms()
    {
        IReadOnlyList<KnowledgeBaseHit> paraphrase = await Searcher.SearchAsync("can I take time off to look after a newborn?", 3, RetrievalMode.Keyword, Ct);
        IReadOnlyList<KnowledgeBaseHit> exact = await Searcher.SearchAsync("premium economy", 3, RetrievalMode.Keyword, Ct);

        Assert.DoesNotContain(paraphrase, h => h.Chunk.Source == "parental-leave.md");
        Assert.Equal("expense-policy.md", exact[0].Chunk.Source);
        Assert.Null(exact[0].Similarity);
    }

    [Fact]
    public async Task Search_NoDocumentFillsTheResultsAlone()
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await Searcher.SearchAsync("parental leave weeks, planning and coming back", 8, cancellationToken: Ct);

        Assert.True(hits.Count(h => h.Chunk.Source == "parental-leave.md") <= Searcher.MaxPassagesPerSource);
        Assert.Equal(hits.Count, hits.Select(h => h.Chunk.Key).Distinct().Count());
    }

    [Fact]
    public async Task Search_RelevanceFloor_DropsOnlyWhatIsClearlyUnrelated()
    {
        IReadOnlyList<KnowledgeBaseHit> unrelated = await Searcher.SearchAsync("quantum chromodynamics of gluon plasma", 5, RetrievalMode.Vector, Ct);
        IReadOnlyList<KnowledgeBaseHit> related = await Searcher.SearchAsync("how many vacation days do I get", 5, RetrievalMode.Vector, Ct);

        Assert.All(unrelated, h => Assert.True(h.Similarity >= Searcher.RelevanceFloor));
        Assert.True(unrelated.Count < 5, "the unrelated query keeps fewer than all five passages");
        Assert.Equal("vacation-policy.md", related[0].Chunk.Source);
    }

    [Fact]
    public async Task Search_EmptyQuery_SaysWhatToSearchFor()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Searcher.SearchAsync("   ", 5, cancellationToken: Ct));

        Assert.StartsWith("The query is empty. Search for a question or some words", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_QueryLongerThanTheEmbedderReads_SaysSo_AndKeywordModeStillWorks()
    {
        string longQuery = string.Join(' ', Enumerable.Repeat("vacation carry over policy details", 80));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Searcher.SearchAsync(longQuery, 5, RetrievalMode.Hybrid, Ct));
        IReadOnlyList<KnowledgeBaseHit> keyword = await Searcher.SearchAsync(longQuery, 5, RetrievalMode.Keyword, Ct);

        Assert.Contains("the embedder reads at most 256", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--mode keyword", ex.Message, StringComparison.Ordinal);
        Assert.Equal("vacation-policy.md", keyword[0].Chunk.Source);
    }
}
