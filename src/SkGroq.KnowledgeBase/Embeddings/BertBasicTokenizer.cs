using System.Globalization;
using System.Text;

namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>
/// BERT's basic tokenization for uncased models, as the models were trained with it: drop control characters, lower-case,
/// strip accents (of Latin letters, and any combining mark), and split punctuation — ASCII symbols such as <c>|</c>, <c>`</c>,
/// <c>$</c> or <c>=</c> included — into tokens of their own. The result is space-separated, ready for WordPiece.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' own basic step drops ASCII symbols that are not Unicode punctuation (<c>| ` $ + &lt; = &gt; ^ ~</c>),
/// which changes the embedding of any Markdown table or code; this step keeps them, so the vectors match the reference
/// encoder's (measured by <c>bench kb</c>).
/// </remarks>
internal static class BertBasicTokenizer
{
    private const char FirstFolded = '\u00C0';

    // The letters U+00C0–U+024F without their accents (what NFD followed by removing non-spacing marks gives; letters
    // with no canonical decomposition, such as Æ, Ø or Ł, stay). A table rather than string.Normalize, so that the
    // tokens, and with them the index, do not depend on whether the application runs with invariant globalization.
    private static readonly string s_unaccented =
        "AAAAAA\u00C6CEEEEIIII\u00D0NOOOOO\u00D7\u00D8UUUUY\u00DE\u00DF" +
        "aaaaaa\u00E6ceeeeiiii\u00F0nooooo\u00F7\u00F8uuuuy\u00FEy" +
        "AaAaAaCcCcCcCcDd\u0110\u0111EeEeEeEeEeGgGg" +
        "GgGgHh\u0126\u0127IiIiIiIiI\u0131\u0132\u0133JjKk\u0138LlLlLl\u013F" +
        "\u0140\u0141\u0142NnNnNn\u0149\u014A\u014BOoOoOo\u0152\u0153RrRrRrSsSsSs" +
        "SsTtTt\u0166\u0167UuUuUuUuUuUuWwYyYZzZzZz\u017F" +
        "\u0180\u0181\u0182\u0183\u0184\u0185\u0186\u0187\u0188\u0189\u018A\u018B\u018C\u018D\u018E\u018F\u0190\u0191\u0192\u0193\u0194\u0195\u0196\u0197\u0198\u0199\u019A\u019B\u019C\u019D\u019E\u019F" +
        "Oo\u01A2\u01A3\u01A4\u01A5\u01A6\u01A7\u01A8\u01A9\u01AA\u01AB\u01AC\u01AD\u01AEUu\u01B1\u01B2\u01B3\u01B4\u01B5\u01B6\u01B7\u01B8\u01B9\u01BA\u01BB\u01BC\u01BD\u01BE\u01BF" +
        "\u01C0\u01C1\u01C2\u01C3\u01C4\u01C5\u01C6\u01C7\u01C8\u01C9\u01CA\u01CB\u01CCAaIiOoUuUuUuUuUu\u01DDAa" +
        "Aa\u00C6\u00E6\u01E4\u01E5GgKkOoOo\u01B7\u0292j\u01F1\u01F2\u01F3Gg\u01F6\u01F7NnAa\u00C6\u00E6\u00D8\u00F8" +
        "AaAaEeEeIiIiOoOoRrRrUuUuSsTt\u021C\u021DHh" +
        "\u0220\u0221\u0222\u0223\u0224\u0225AaEeOoOoOoOoYy\u0234\u0235\u0236\u0237\u0238\u0239\u023A\u023B\u023C\u023D\u023E\u023F" +
        "\u0240\u0241\u0242\u0243\u0244\u0245\u0246\u0247\u0248\u0249\u024A\u024B\u024C\u024D\u024E\u024F";

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string lower = text.ToLowerInvariant();
        var output = new StringBuilder(lower.Length + 16);
        foreach (char original in lower)
        {
            char c = original is >= FirstFolded and <= '\u024F' ? s_unaccented[original - FirstFolded] : original;
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (c == '\0' || c == '\uFFFD' || category == UnicodeCategory.NonSpacingMark || (char.IsControl(c) && !char.IsWhiteSpace(c)))
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                output.Append(' ');
            }
            else if (IsPunctuation(c, category) || IsCjk(c))
            {
                output.Append(' ').Append(c).Append(' ');
            }
            else
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }

    private static bool IsPunctuation(char c, UnicodeCategory category) =>
        c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~')
        || category is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;

    private static bool IsCjk(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
