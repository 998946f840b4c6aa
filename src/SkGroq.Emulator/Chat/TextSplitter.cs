using System.Text.RegularExpressions;

namespace SkGroq.Emulator.Chat;

/// <summary>Splits scripted text into pieces along the Llama 3 pre-tokenizer's boundaries (docs/GROQ-API.md §10), so each chunk is about one token.</summary>
internal static partial class TextSplitter
{
    public static void Append(string text, Func<string, int> count, PieceText output)
    {
        foreach (ValueMatch match in PreTokenizer().EnumerateMatches(text))
        {
            string piece = text.Substring(match.Index, match.Length);
            output.Append(piece, count(piece));
        }
    }

    [GeneratedRegex(@"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex PreTokenizer();
}
