namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>What one indexing run did.</summary>
public sealed record IndexReport
{
    /// <summary>Gets the folder indexed.</summary>
    public required string Folder { get; init; }

    /// <summary>Gets the index file.</summary>
    public required string IndexPath { get; init; }

    /// <summary>Gets the embedder's model id.</summary>
    public required string Embedder { get; init; }

    /// <summary>Gets the documents now in the index.</summary>
    public int Documents { get; init; }

    /// <summary>Gets the chunks now in the index.</summary>
    public int Chunks { get; init; }

    /// <summary>Gets the documents indexed for the first time.</summary>
    public IReadOnlyList<string> Added { get; init; } = [];

    /// <summary>Gets the documents whose content changed.</summary>
    public IReadOnlyList<string> Changed { get; init; } = [];

    /// <summary>Gets the documents dropped (deleted from the folder, or now unreadable).</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Gets how many documents were unchanged (not read, not embedded).</summary>
    public int Unchanged { get; init; }

    /// <summary>Gets the files that were not indexed, with the reason and what to do.</summary>
    public IReadOnlyList<(string Source, string Reason)> Skipped { get; init; } = [];

    /// <summary>Gets remarks on files that were indexed (e.g. read as Latin-1).</summary>
    public IReadOnlyList<(string Source, string Note)> Notes { get; init; } = [];

    /// <summary>Gets how many chunks were embedded in this run (0 when nothing changed).</summary>
    public int ChunksEmbedded { get; init; }

    /// <summary>Gets how many chunks of changed documents kept their stored embedding (same text).</summary>
    public int ChunksReused { get; init; }

    /// <summary>Gets why the index was rebuilt from nothing; <see langword="null"/> when it was updated in place.</summary>
    public string? RebuiltBecause { get; init; }

    /// <summary>Gets the run's duration.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Gets the time spent embedding.</summary>
    public TimeSpan EmbeddingTime { get; init; }
}

/// <summary>Progress of an indexing run.</summary>
/// <param name="Documents">Documents processed so far.</param>
/// <param name="TotalDocuments">Documents in the folder.</param>
/// <param name="ChunksEmbedded">Chunks embedded so far.</param>
/// <param name="ChunksToEmbed">Chunks to embed in all.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record IndexProgress(int Documents, int TotalDocuments, int ChunksEmbedded, int ChunksToEmbed, TimeSpan Elapsed);
