using SkGroq.KnowledgeBase.Search;

namespace SkGroq.KnowledgeBase.Evaluation;

/// <summary>Measures retrieval against a gold set: recall@5, MRR@10 and nDCG@10 per mode and per kind of question.</summary>
public static class RetrievalEvaluator
{
    /// <summary>The modes measured.</summary>
    public static IReadOnlyList<RetrievalMode> Modes { get; } = [RetrievalMode.Keyword, RetrievalMode.Vector, RetrievalMode.Hybrid];

    /// <summary>Runs every answerable question of the set in every mode.</summary>
    /// <param name="searcher">The search over an index of the set's corpus.</param>
    /// <param name="gold">The gold set.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The scores.</returns>
    public static async Task<RetrievalReport> EvaluateAsync(KnowledgeBaseSearcher searcher, GoldSet gold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(gold);
        double floor = searcher.RelevanceFloor;
        searcher.RelevanceFloor = double.NegativeInfinity;
        try
        {
            var results = new List<QuestionResult>();
            foreach (GoldQuestion question in gold.Questions)
            {
                foreach (RetrievalMode mode in Modes)
                {
                    IReadOnlyList<KnowledgeBaseHit> hits = await searcher.SearchAsync(question.Question, 10, mode, cancellationToken).ConfigureAwait(false);
                    results.Add(Score(question, mode, hits));
                }
            }

            return new RetrievalReport(results, floor);
        }
        finally
        {
            searcher.RelevanceFloor = floor;
        }
    }

    /// <summary>Scores one question's ranking.</summary>
    /// <param name="question">The question.</param>
    /// <param name="mode">The mode that ranked.</param>
    /// <param name="hits">The top hits, best first.</param>
    /// <returns>The scores.</returns>
    public static QuestionResult Score(GoldQuestion question, RetrievalMode mode, IReadOnlyList<KnowledgeBaseHit> hits)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(hits);
        var gold = question.Sources.ToHashSet(StringComparer.Ordinal);
        double? topSimilarity = hits.Count > 0 ? hits[0].Similarity : null;
        double? goldSimilarity = hits.Where(h => gold.Contains(h.Chunk.Source)).Select(h => h.Similarity).FirstOrDefault();
        if (gold.Count == 0)
        {
            return new QuestionResult(question, mode, 0, 0, 0, topSimilarity, null);
        }

        double recall = (double)hits.Take(5).Select(h => h.Chunk.Source).Where(gold.Contains).Distinct(StringComparer.Ordinal).Count() / gold.Count;
        int first = hits.Take(10).Select((h, i) => (h, i)).FirstOrDefault(x => gold.Contains(x.h.Chunk.Source), (null!, -1)).Item2;
        double mrr = first < 0 ? 0 : 1.0 / (first + 1);

        // nDCG over distinct sources in rank order (a document counts once, however many of its chunks rank).
        List<string> ranked = hits.Take(10).Select(h => h.Chunk.Source).Distinct(StringComparer.Ordinal).ToList();
        double dcg = ranked.Select((s, i) => gold.Contains(s) ? 1.0 / Math.Log2(i + 2) : 0).Sum();
        double ideal = Enumerable.Range(0, Math.Min(gold.Count, 10)).Sum(i => 1.0 / Math.Log2(i + 2));
        return new QuestionResult(question, mode, recall, mrr, dcg / ideal, topSimilarity, goldSimilarity);
    }
}

/// <summary>One question's scores in one mode.</summary>
/// <param name="Question">The question.</param>
/// <param name="Mode">The mode.</param>
/// <param name="RecallAt5">The share of its gold sources in the top 5.</param>
/// <param name="ReciprocalRankAt10">1 / the rank of the first gold hit in the top 10; 0 when none.</param>
/// <param name="NdcgAt10">The normalized discounted cumulative gain over the top 10's distinct sources.</param>
/// <param name="TopSimilarity">The cosine similarity of the first hit.</param>
/// <param name="GoldSimilarity">The cosine similarity of the first gold hit; <see langword="null"/> when none was found (or unanswerable).</param>
public sealed record QuestionResult(GoldQuestion Question, RetrievalMode Mode, double RecallAt5, double ReciprocalRankAt10, double NdcgAt10, double? TopSimilarity, double? GoldSimilarity);

/// <summary>The scores of a gold-set run.</summary>
/// <param name="Results">Every question in every mode.</param>
/// <param name="RelevanceFloor">The relevance floor of the search that was measured.</param>
public sealed record RetrievalReport(IReadOnlyList<QuestionResult> Results, double RelevanceFloor)
{
    /// <summary>Gets the kinds of question, in a fixed order.</summary>
    public IReadOnlyList<string> Kinds => Results.Select(r => r.Question.Kind).Where(k => k != "unanswerable").Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Averages a mode's scores over the answerable questions of a kind (all kinds when <paramref name="kind"/> is <see langword="null"/>).</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="kind">The kind, or <see langword="null"/>.</param>
    /// <returns>Recall@5, MRR@10, nDCG@10 and the number of questions.</returns>
    public (double RecallAt5, double MrrAt10, double NdcgAt10, int Questions) Average(RetrievalMode mode, string? kind = null)
    {
        List<QuestionResult> rows = Results.Where(r => r.Mode == mode && r.Question.Sources.Count > 0 && (kind is null || r.Question.Kind == kind)).ToList();
        return rows.Count == 0 ? (0, 0, 0, 0) : (rows.Average(r => r.RecallAt5), rows.Average(r => r.ReciprocalRankAt10), rows.Average(r => r.NdcgAt10), rows.Count);
    }

    /// <summary>Gets the lowest similarity of a gold hit over the answerable questions (vector mode): a relevance floor must stay under it.</summary>
    public double? LowestGoldSimilarity => Results.Where(r => r.Mode == RetrievalMode.Vector && r.GoldSimilarity is not null).Min(r => r.GoldSimilarity);

    /// <summary>Gets the highest top-1 similarity among unanswerable questions (vector mode): how far they overlap with answerable ones.</summary>
    public double? HighestUnanswerableSimilarity => Results.Where(r => r.Mode == RetrievalMode.Vector && r.Question.Sources.Count == 0).Max(r => r.TopSimilarity);

    /// <summary>Gets the answerable questions whose gold hit the relevance floor would drop.</summary>
    public IReadOnlyList<QuestionResult> DroppedByFloor => Results.Where(r => r.Mode == RetrievalMode.Vector && r.GoldSimilarity < RelevanceFloor).ToList();
}
