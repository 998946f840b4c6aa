namespace SkGroq.KnowledgeBase;

/// <summary>An in-memory Okapi BM25 index over passages. Immutable once built; searches are thread-safe.</summary>
/// <remarks>Pure logic: no I/O. Parameters k1 = 1.2 and b = 0.75, IDF = ln(1 + (N − n + 0.5) / (n + 0.5)).</remarks>
internal sealed class Bm25Index
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    private readonly IReadOnlyList<KnowledgeBasePassage> _passages;
    private readonly Dictionary<string, int>[] _termFrequencies;
    private readonly int[] _lengths;
    private readonly Dictionary<string, int> _documentFrequencies = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Index(IReadOnlyList<KnowledgeBasePassage> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        _passages = passages;
        _termFrequencies = new Dictionary<string, int>[passages.Count];
        _lengths = new int[passages.Count];
        for (int i = 0; i < passages.Count; i++)
        {
            List<string> terms = TextAnalyzer.Terms(passages[i].Title + "\n" + passages[i].Text);
            _lengths[i] = terms.Count;
            var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string term in terms)
            {
                frequencies[term] = frequencies.GetValueOrDefault(term) + 1;
            }

            foreach (string term in frequencies.Keys)
            {
                _documentFrequencies[term] = _documentFrequencies.GetValueOrDefault(term) + 1;
            }

            _termFrequencies[i] = frequencies;
        }

        _averageLength = passages.Count == 0 ? 0 : _lengths.Average();
    }

    public int Count => _passages.Count;

    public IReadOnlyList<KnowledgeBaseHit> Search(string query, int top)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        List<string> terms = TextAnalyzer.Terms(query).Distinct(StringComparer.Ordinal).ToList();
        if (terms.Count == 0 || _passages.Count == 0)
        {
            return [];
        }

        var hits = new List<KnowledgeBaseHit>();
        for (int i = 0; i < _passages.Count; i++)
        {
            double score = 0;
            foreach (string term in terms)
            {
                if (!_termFrequencies[i].TryGetValue(term, out int tf))
                {
                    continue;
                }

                int n = _documentFrequencies[term];
                double idf = Math.Log(1 + ((_passages.Count - n + 0.5) / (n + 0.5)));
                score += idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * _lengths[i] / _averageLength))));
            }

            if (score > 0)
            {
                hits.Add(new KnowledgeBaseHit(_passages[i], score));
            }
        }

        return hits.OrderByDescending(h => h.Score).ThenBy(h => h.Passage.Source, StringComparer.Ordinal).Take(top).ToList();
    }
}
