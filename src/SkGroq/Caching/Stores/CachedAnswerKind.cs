namespace SkGroq.Caching.Stores;

/// <summary>How a cached answer was received from Groq.</summary>
internal enum CachedAnswerKind : byte
{
    /// <summary>A <c>chat.completion</c> JSON body.</summary>
    Json = 1,

    /// <summary>The data payloads of a <c>chat.completion.chunk</c> SSE stream, as Groq sent them.</summary>
    Stream = 2,
}
