namespace SkGroq.KnowledgeBase.Storage;

/// <summary>
/// How hybrid search fuses meaning and words, score-based: every candidate of either ranking gets
/// <c>score = Vector × cosine similarity + Keyword × BM25 / best BM25 of the query</c>.
/// </summary>
/// <remarks>
/// Rank fusion with equal weights lets a plain keyword ranker pull good semantic matches out of the top results. The
/// keyword term here is a tie-breaker: it lifts passages with the query's own terms among those of similar meaning. The
/// defaults were tuned on the project's gold set so that hybrid is at least as good as either ranking alone on every kind
/// of question (docs/KNOWLEDGE-BASE.md).
/// </remarks>
public sealed record HybridSearchWeights
{
    /// <summary>Gets the weight of the cosine similarity. Default 1.</summary>
    public double Vector { get; init; } = 1.0;

    /// <summary>Gets the weight of the keyword score (BM25 relative to the query's best). Default 0.06.</summary>
    public double Keyword { get; init; } = 0.06;
}
