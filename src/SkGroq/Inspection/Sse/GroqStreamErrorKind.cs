namespace SkGroq.Inspection.Sse;

/// <summary>Which of Groq's mid-stream error forms ended a stream (docs/GROQ-API.md §4.3).</summary>
internal enum GroqStreamErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>An <c>event: error</c> frame (the recorded form).</summary>
    ErrorEvent,

    /// <summary>A data-only frame whose JSON has a truthy <c>error</c> (what the official SDKs also check).</summary>
    ErrorData,

    /// <summary>A chunk whose <c>x_groq.error</c> says why the stream stopped early.</summary>
    XGroqError,
}
