using System.Collections.Frozen;

namespace SkGroq.KnowledgeBase;

/// <summary>Splits text into search terms: lower case, letters and digits, English stop words removed, plural endings folded.</summary>
internal static class TextAnalyzer
{
    private static readonly FrozenSet<string> s_stopWords = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in", "is", "it",
        "its", "many", "may", "much", "of", "on", "or", "our", "the", "their", "there", "this", "to", "was", "we", "what",
        "when", "where", "which", "who", "will", "with", "you", "your", "my", "me", "should", "must", "get", "long",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static List<string> Terms(ReadOnlySpan<char> text)
    {
        var terms = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                string term = Normalize(text[start..i]);
                if (!s_stopWords.Contains(term))
                {
                    terms.Add(term);
                }
            }
        }

        return terms;
    }

    // A light, predictable plural fold (days → day, policies → policy, passes stays): enough for matching
    // "vacation days" against "day", without a stemmer's surprises.
    private static string Normalize(ReadOnlySpan<char> word)
    {
        string lower = word.ToString().ToLowerInvariant();
        if (lower.Length > 4 && lower.EndsWith("ies", StringComparison.Ordinal))
        {
            return lower[..^3] + "y";
        }

        if (lower.Length > 3 && lower.EndsWith('s') && !lower.EndsWith("ss", StringComparison.Ordinal) && !lower.EndsWith("us", StringComparison.Ordinal))
        {
            return lower[..^1];
        }

        return lower;
    }
}
