namespace SkGroq.Console.Bench.KnowledgeBase;

/// <summary>What <c>bench kb</c> measured.</summary>
internal sealed record KbBenchReport
{
    public required string Embedder { get; init; }

    public required int Processors { get; init; }

    public required double ModelLoadMs { get; init; }

    public required EmbeddingThroughput Ours { get; init; }

    public required EmbeddingThroughput Wrapper { get; init; }

    public required int SameTokenTexts { get; init; }

    public required double MinCosineSameTokens { get; init; }

    public required double MinCosineToWrapper { get; init; }

    public required double MeanCosineToWrapper { get; init; }

    public required IndexingRun Indexing { get; init; }

    public required IReadOnlyList<QueryLatency> Queries { get; init; }
}

/// <summary>Embedding speed over one set of texts.</summary>
internal sealed record EmbeddingThroughput(int Texts, long Tokens, double Seconds)
{
    public double TextsPerSecond => Math.Round(Texts / Seconds, 1);

    public double TokensPerSecond => Math.Round(Tokens / Seconds, 0);
}

/// <summary>Indexing a folder from nothing.</summary>
internal sealed record IndexingRun(int Documents, int Chunks, double Seconds, double ChunksPerSecond, long PeakWorkingSetBytes, long ManagedHeapBytes);

/// <summary>Search latency at one index size, per mode, warm (model loaded, query embeddings not cached).</summary>
internal sealed record QueryLatency(int Chunks, string Mode, LatencyPercentiles Latency);
