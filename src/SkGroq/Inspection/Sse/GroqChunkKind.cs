namespace SkGroq.Inspection.Sse;

/// <summary>What a data frame of a Groq stream was.</summary>
internal enum GroqChunkKind
{
    /// <summary>A chunk without content (role-only first chunk, finish chunk, include_usage chunk, or unreadable).</summary>
    Other,

    /// <summary>A chunk with text, reasoning or tool calls.</summary>
    Content,

    /// <summary><c>[DONE]</c>.</summary>
    Done,

    /// <summary>An error frame.</summary>
    Error,
}
