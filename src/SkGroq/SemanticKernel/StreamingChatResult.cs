using SkGroq.Usage;

namespace SkGroq.SemanticKernel;

/// <summary>What one streamed answer amounted to: the text, how fast it came, and the usage Groq reported.</summary>
public sealed record StreamingChatResult
{
    /// <summary>Gets the full answer text.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the model that answered, as the stream named it.</summary>
    public string? Model { get; init; }

    /// <summary>Gets the time from the call to the first content token; <see langword="null"/> when no content arrived.</summary>
    public TimeSpan? TimeToFirstToken { get; init; }

    /// <summary>Gets the time from the call to the end of the stream.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the number of chunks that carried text.</summary>
    public int ContentChunks { get; init; }

    /// <summary>Gets the usage Groq reported in the stream; <see langword="null"/> when the server sent none.</summary>
    public GroqUsage? Usage { get; init; }

    /// <summary>Gets completion tokens per second between the first token and the end (reported completion tokens, else content chunks).</summary>
    public double? TokensPerSecond { get; init; }

    /// <summary>Gets the pipeline's usage record of the request, when usage tracking is on (request id, cache hit, fallback model…).</summary>
    public UsageRecord? Record { get; init; }
}
