namespace SkGroq.KnowledgeBase;

/// <summary>A passage found by a search, with its BM25 score.</summary>
/// <param name="Passage">The passage.</param>
/// <param name="Score">The BM25 score; higher is better.</param>
public sealed record KnowledgeBaseHit(KnowledgeBasePassage Passage, double Score);
