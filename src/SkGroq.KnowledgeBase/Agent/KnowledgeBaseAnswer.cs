using SkGroq.KnowledgeBase.Search;
using SkGroq.Usage;

namespace SkGroq.KnowledgeBase.Agent;

/// <summary>The knowledge-base agent's answer to one question.</summary>
/// <param name="Text">The answer.</param>
/// <param name="Citations">The citations in the answer (<c>[S1]</c>…), in order of first mention, each checked against what was retrieved.</param>
/// <param name="Retrieved">Every passage given to the model, in label order (<c>S1</c> first).</param>
/// <param name="Searches">The queries searched (the model's own in tool mode; the question in pre-retrieval mode).</param>
/// <param name="Retrieval">How passages were retrieved.</param>
/// <param name="Usage">The usage of the whole turn: the sum over its round trips, tool calls included.</param>
public sealed record KnowledgeBaseAnswer(
    string Text,
    IReadOnlyList<KnowledgeBaseCitation> Citations,
    IReadOnlyList<KnowledgeBaseHit> Retrieved,
    IReadOnlyList<string> Searches,
    KnowledgeBaseRetrieval Retrieval,
    UsageTotals Usage)
{
    /// <summary>Gets the citations of passages the model was not given (flagged: the answer claims a source that was not retrieved).</summary>
    public IReadOnlyList<KnowledgeBaseCitation> InvalidCitations => Citations.Where(c => !c.IsValid).ToList();

    /// <summary>Gets the distinct source files the answer cites validly, in order of first mention.</summary>
    public IReadOnlyList<string> CitedSources => Citations.Where(c => c.IsValid).Select(c => c.Hit!.Chunk.Source).Distinct(StringComparer.Ordinal).ToList();
}
