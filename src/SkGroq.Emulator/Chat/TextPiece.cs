namespace SkGroq.Emulator.Chat;

/// <summary>A slice of answer text that is streamed as one chunk, with its token count.</summary>
/// <param name="Start">The offset in the text.</param>
/// <param name="Length">The length in characters.</param>
/// <param name="Tokens">The tokens it costs.</param>
internal readonly record struct TextPiece(int Start, int Length, int Tokens);
