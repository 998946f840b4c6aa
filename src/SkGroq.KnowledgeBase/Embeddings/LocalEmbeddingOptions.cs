namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>Options of the <see cref="LocalEmbeddingGenerator"/>.</summary>
public sealed class LocalEmbeddingOptions
{
    /// <summary>Gets or sets the most texts in one run of the model. Default 2 (measured fastest on 2 cores with two runs side by side: larger batches spend more in padding and memory than they save).</summary>
    public int MaxBatchSize { get; set; } = 2;

    /// <summary>Gets or sets the most tokens (padding included) in one run of the model. Default 4,096.</summary>
    /// <remarks>Texts are sorted by length before batching, so little of this is padding.</remarks>
    public int MaxBatchTokens { get; set; } = 4096;

    /// <summary>Gets or sets the threads the model may use in all; 0 for one per processor. Default 0.</summary>
    public int Threads { get; set; }

    /// <summary>Gets or sets how many batches run at once, sharing <see cref="Threads"/>; 0 for one per processor. Default 0.</summary>
    public int Parallelism { get; set; }

    /// <summary>Gets or sets the most embeddings kept in memory by the hash of their text; 0 turns the cache off. Default 4,096.</summary>
    public int CacheEntries { get; set; } = 4096;

    /// <summary>Gets or sets the clock that times the model's load and dates embeddings. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
