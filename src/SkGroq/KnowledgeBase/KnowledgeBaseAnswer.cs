using SkGroq.Usage;

namespace SkGroq.KnowledgeBase;

/// <summary>The knowledge-base agent's answer to one question.</summary>
/// <param name="Text">The answer.</param>
/// <param name="CitedSources">The source files the answer cites (those of the retrieved passages it names), in order of first mention.</param>
/// <param name="Retrieved">Every passage the agent's searches returned.</param>
/// <param name="Searches">The queries the model searched for.</param>
/// <param name="Usage">The usage of the whole turn: the sum over its round trips, tool calls included.</param>
public sealed record KnowledgeBaseAnswer(
    string Text,
    IReadOnlyList<string> CitedSources,
    IReadOnlyList<KnowledgeBaseHit> Retrieved,
    IReadOnlyList<string> Searches,
    UsageTotals Usage);
