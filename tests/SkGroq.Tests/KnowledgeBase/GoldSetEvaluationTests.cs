using SkGroq.KnowledgeBase;
using SkGroq.KnowledgeBase.Evaluation;
using SkGroq.KnowledgeBase.Search;

namespace SkGroq.Tests.KnowledgeBase;

/// <summary>The project's gold set, measured as <c>kb eval</c> measures it: hybrid must never rank below either list alone.</summary>
public sealed class GoldSetEvaluationTests
{
    [Fact]
    public async Task GoldSet_HybridIsAtLeastAsGoodAsKeywordAndVectorOnEveryKind()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        GoldSet gold = await GoldSet.LoadAsync(KnowledgeBaseTestSupport.GoldSet, ct);
        using var folder = new TempFolder();
        await gold.CopyCorpusAsync(folder.Docs);
        using LocalKnowledgeBase kb = await LocalKnowledgeBase.OpenAsync(folder.Docs, KnowledgeBaseTestSupport.Options(folder.Index), cancellationToken: ct);

        RetrievalReport report = await RetrievalEvaluator.EvaluateAsync(kb.Searcher, gold, ct);

        Assert.True(gold.Questions.Count >= 60);
        Assert.Equal(["paraphrase", "keyword", "two-document"], report.Kinds);
        foreach (string kind in report.Kinds)
        {
            var hybrid = report.Average(RetrievalMode.Hybrid, kind);
            var keyword = report.Average(RetrievalMode.Keyword, kind);
            var vector = report.Average(RetrievalMode.Vector, kind);
            Assert.True(hybrid.RecallAt5 >= Math.Max(keyword.RecallAt5, vector.RecallAt5), $"{kind}: hybrid recall@5 {hybrid.RecallAt5:F3}, keyword {keyword.RecallAt5:F3}, vector {vector.RecallAt5:F3}");
            Assert.True(hybrid.MrrAt10 >= keyword.MrrAt10, $"{kind}: hybrid MRR@10 {hybrid.MrrAt10:F3} below keyword {keyword.MrrAt10:F3}");
        }

        // The relevance floor never drops an answerable question's source.
        Assert.Empty(report.DroppedByFloor);
    }
}
