using Microsoft.Extensions.AI;
using SkGroq.KnowledgeBase.Embeddings;
using SkGroq.KnowledgeBase.Ingestion;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.KnowledgeBase;

/// <summary>Options of a <see cref="LocalKnowledgeBase"/>.</summary>
public sealed class LocalKnowledgeBaseOptions
{
    /// <summary>Gets or sets the index file; <see langword="null"/> for <see cref="LocalKnowledgeBase.DefaultIndexPath"/> of the folder.</summary>
    public string? IndexPath { get; set; }

    /// <summary>Gets or sets the local embedding model. Default <see cref="LocalEmbeddingModel.MiniLM"/>.</summary>
    public LocalEmbeddingModel Model { get; set; } = LocalEmbeddingModel.MiniLM;

    /// <summary>Gets or sets an embedder to use instead of the local model (e.g. an OpenAI-compatible embeddings endpoint); <see langword="null"/> for the local model.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; set; }

    /// <summary>Gets or sets the text put in front of queries before they are embedded; <see langword="null"/> for the local model's own (none for other embedders).</summary>
    public string? QueryPrefix { get; set; }

    /// <summary>Gets or sets the token counter of the answering model that sizes chunks; <see langword="null"/> to size by the embedder's tokens alone.</summary>
    public Func<string, int>? CountAnswerTokens { get; set; }

    /// <summary>Gets or sets how documents are cut.</summary>
    public ChunkerOptions Chunking { get; set; } = new();

    /// <summary>Gets or sets how hybrid search fuses its rankings.</summary>
    public HybridSearchWeights Weights { get; set; } = new();

    /// <summary>Gets or sets the cosine similarity under which a passage is dropped as clearly unrelated. Default 0.2.</summary>
    public double RelevanceFloor { get; set; } = 0.2;

    /// <summary>Gets or sets the clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
