namespace SkGroq.Tokens.Templates;

/// <summary>A piece of template text and its token count in one vocabulary.</summary>
/// <param name="Text">The text.</param>
/// <param name="Tokens">Its tokens.</param>
internal readonly record struct TemplateLiteral(string Text, int Tokens);
