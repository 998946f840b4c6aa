namespace SkGroq.Emulator.Chat;

/// <summary>A piece of answer text that is streamed as one chunk, with its token count.</summary>
/// <param name="Text">The text (generated pieces are shared, never allocated per request).</param>
/// <param name="Tokens">The tokens it costs.</param>
internal readonly record struct TextPiece(string Text, int Tokens);
