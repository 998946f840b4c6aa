using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.KnowledgeBase.Search;

/// <summary>A passage found by a search.</summary>
/// <param name="Chunk">The passage.</param>
/// <param name="Score">The ranking score of the mode that found it (fused score, cosine similarity or BM25); higher is better.</param>
/// <param name="Similarity">The cosine similarity between the query and the passage; <see langword="null"/> in keyword mode.</param>
public sealed record KnowledgeBaseHit(KnowledgeBaseChunk Chunk, double Score, double? Similarity);
