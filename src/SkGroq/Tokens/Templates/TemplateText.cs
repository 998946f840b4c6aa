namespace SkGroq.Tokens.Templates;

/// <summary>Text operations of Jinja chat templates, with Python's semantics.</summary>
internal static class TemplateText
{
    /// <summary>Trims like Jinja's <c>trim</c> filter (Python's <c>str.strip()</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without leading and trailing whitespace.</returns>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text)
    {
        int start = 0;
        while (start < text.Length && IsPythonWhiteSpace(text[start]))
        {
            start++;
        }

        int end = text.Length;
        while (end > start && IsPythonWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>Gets a value indicating whether Python's <c>str.isspace</c> holds for a character.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> for whitespace.</returns>
    /// <remarks>Python also counts the information separators U+001C–U+001F (bidi class B or S) as whitespace; .NET does not.</remarks>
    public static bool IsPythonWhiteSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
}
