namespace SkGroq.Inspection.Sse;

/// <summary>What one piece of a Groq stream contained, as far as the caller of <see cref="GroqStreamTap.Feed"/> must act on it.</summary>
/// <param name="PassThrough">How many bytes of the piece go on to the reader: all of them, or those before an error frame.</param>
/// <param name="FirstContent">The piece carried the stream's first content (text, reasoning or a tool call).</param>
/// <param name="Done">The piece carried <c>data: [DONE]</c>.</param>
/// <param name="Error">The piece carried an error frame; <see cref="GroqStreamTap.ErrorKind"/> says which.</param>
internal readonly record struct GroqTapResult(int PassThrough, bool FirstContent, bool Done, bool Error);
