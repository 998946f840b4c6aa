namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>How documents are cut into chunks.</summary>
public sealed class ChunkerOptions
{
    /// <summary>Gets or sets the most tokens of a chunk, counted for the answering model. Default 256.</summary>
    public int MaxChunkTokens { get; set; } = 256;

    /// <summary>Gets or sets the tokens repeated from the end of one chunk at the start of the next when a section has to be cut. Default 32.</summary>
    public int OverlapTokens { get; set; } = 32;
}
