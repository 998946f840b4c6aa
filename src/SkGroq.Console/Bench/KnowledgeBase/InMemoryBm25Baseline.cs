using System.Collections.Frozen;

namespace SkGroq.Console.Bench.KnowledgeBase;

/// <summary>
/// The baseline of <c>bench kb</c>: the in-memory Okapi BM25 the knowledge base used before its SQLite FTS5 index
/// (k1 = 1.2, b = 0.75, IDF = ln(1 + (N − n + 0.5) / (n + 0.5)), lower-cased terms, English stop words, plurals folded),
/// rebuilt from the folder on every run.
/// </summary>
internal sealed class InMemoryBm25Baseline
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private static readonly FrozenSet<string> s_stopWords = new[]
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in", "is", "it",
        "its", "many", "may", "much", "of", "on", "or", "our", "the", "their", "there", "this", "to", "was", "we", "what",
        "when", "where", "which", "who", "will", "with", "you", "your", "my", "me", "should", "must", "get", "long",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly Dictionary<string, int>[] _frequencies;
    private readonly int[] _lengths;
    private readonly Dictionary<string, int> _documentFrequencies = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public InMemoryBm25Baseline(IReadOnlyList<string> passages)
    {
        _frequencies = new Dictionary<string, int>[passages.Count];
        _lengths = new int[passages.Count];
        for (int i = 0; i < passages.Count; i++)
        {
            List<string> terms = Terms(passages[i]);
            _lengths[i] = terms.Count;
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string term in terms)
            {
                frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            }

            _frequencies[i] = frequencies;
            foreach (string term in frequencies.Keys)
            {
                _documentFrequencies[term] = _documentFrequencies.GetValueOrDefault(term) + 1;
            }
        }

        _averageLength = passages.Count == 0 ? 0 : _lengths.Average();
    }

    public IReadOnlyList<(int Index, double Score)> Search(string query, int top)
    {
        List<string> terms = Terms(query).Distinct(StringComparer.Ordinal).ToList();
        var scores = new List<(int, double)>();
        int n = _frequencies.Length;
        for (int i = 0; i < n; i++)
        {
            double score = 0;
            foreach (string term in terms)
            {
                if (_frequencies[i].TryGetValue(term, out int tf))
                {
                    int df = _documentFrequencies[term];
                    double idf = Math.Log(1 + ((n - df + 0.5) / (df + 0.5)));
                    score += idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
                }
            }

            if (score > 0)
            {
                scores.Add((i, score));
            }
        }

        return scores.OrderByDescending(s => s.Item2).Take(top).ToList();
    }

    private static List<string> Terms(string text)
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
                string term = text[start..i].ToLowerInvariant();
                if (term.Length > 4 && term.EndsWith("ies", StringComparison.Ordinal))
                {
                    term = term[..^3] + "y";
                }
                else if (term.Length > 3 && term.EndsWith('s') && !term.EndsWith("ss", StringComparison.Ordinal) && !term.EndsWith("us", StringComparison.Ordinal))
                {
                    term = term[..^1];
                }

                if (!s_stopWords.Contains(term))
                {
                    terms.Add(term);
                }
            }
        }

        return terms;
    }
}
