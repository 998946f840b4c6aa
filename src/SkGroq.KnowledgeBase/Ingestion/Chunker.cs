using SkGroq.KnowledgeBase.Embeddings;

namespace SkGroq.KnowledgeBase.Ingestion;

/// <summary>
/// Cuts sections into chunks that fit both the answering model's budget (counted with its own tokenizer) and what the
/// embedder reads. A section that fits is one chunk; a longer one is cut at paragraph, then line, then word boundaries,
/// and only then does a chunk repeat the end of the previous one (<see cref="ChunkerOptions.OverlapTokens"/>).
/// </summary>
public sealed class Chunker
{
    private readonly Func<string, int> _countAnswerTokens;
    private readonly IEmbeddingTokenCounter? _embedder;
    private readonly ChunkerOptions _options;

    /// <summary>Initializes a new instance of the <see cref="Chunker"/> class.</summary>
    /// <param name="countAnswerTokens">Counts tokens for the answering model (e.g. <c>TokenCounterProvider.GetCounter(model).CountTokens</c>).</param>
    /// <param name="embedder">The embedder's own token counter and limit; <see langword="null"/> when the embedder does not say (the budget alone then applies).</param>
    /// <param name="options">Sizes; <see langword="null"/> for the defaults.</param>
    public Chunker(Func<string, int> countAnswerTokens, IEmbeddingTokenCounter? embedder = null, ChunkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(countAnswerTokens);
        _countAnswerTokens = countAnswerTokens;
        _embedder = embedder;
        _options = options ?? new ChunkerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxChunkTokens, 16, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.OverlapTokens, nameof(options));
    }

    /// <summary>Cuts the sections of one document.</summary>
    /// <param name="sections">The sections.</param>
    /// <returns>The chunks in document order.</returns>
    public IReadOnlyList<Chunk> Cut(IEnumerable<DocumentSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var chunks = new List<Chunk>();
        foreach (DocumentSection section in sections)
        {
            CutSection(section, chunks);
        }

        return chunks;
    }

    private void CutSection(DocumentSection section, List<Chunk> chunks)
    {
        int embedBudget = _embedder is null ? int.MaxValue : _embedder.MaxInputTokens - _embedder.CountTokens(section.Heading) - 8;
        var units = new List<Unit>();
        foreach (Unit paragraph in Paragraphs(section.Lines))
        {
            Split(paragraph, embedBudget, units);
        }

        int start = 0;
        while (start < units.Count)
        {
            int answer = 0;
            int embed = 0;
            int end = start;
            while (end < units.Count && (end == start || (answer + units[end].AnswerTokens <= _options.MaxChunkTokens && embed + units[end].EmbedTokens <= embedBudget)))
            {
                answer += units[end].AnswerTokens;
                embed += units[end].EmbedTokens;
                end++;
            }

            List<Unit> taken = units.GetRange(start, end - start);
            string text = string.Join("\n", taken.Select(u => u.Text)).Trim();
            if (text.Length > 0)
            {
                chunks.Add(new Chunk(section.Heading, text, taken[0].First, taken[^1].Last, section.Page, _countAnswerTokens(text)));
            }

            if (end >= units.Count)
            {
                break;
            }

            // The section goes on: start the next chunk with the tail of this one, as far as the overlap allows.
            int next = end;
            int overlap = 0;
            while (next - 1 > start && overlap + units[next - 1].AnswerTokens <= _options.OverlapTokens)
            {
                overlap += units[next - 1].AnswerTokens;
                next--;
            }

            start = next;
        }
    }

    private IEnumerable<Unit> Paragraphs(IReadOnlyList<(int Number, string Text)> lines)
    {
        var paragraph = new List<(int Number, string Text)>();
        foreach ((int number, string text) in lines)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                if (paragraph.Count > 0)
                {
                    yield return Measure(paragraph, blankAfter: true);
                    paragraph = [];
                }

                continue;
            }

            paragraph.Add((number, text));
        }

        if (paragraph.Count > 0)
        {
            yield return Measure(paragraph, blankAfter: false);
        }
    }

    private void Split(Unit unit, int embedBudget, List<Unit> into)
    {
        if (unit.AnswerTokens <= _options.MaxChunkTokens && unit.EmbedTokens <= embedBudget)
        {
            into.Add(unit);
            return;
        }

        if (unit.Lines.Count > 1)
        {
            foreach ((int number, string text) in unit.Lines)
            {
                Split(Measure([(number, text)], blankAfter: false), embedBudget, into);
            }

            return;
        }

        // One line too long for a chunk: cut it at word boundaries into pieces of about half the budget.
        (int line, string whole) = unit.Lines[0];
        string[] words = whole.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int target = Math.Max(1, _options.MaxChunkTokens / 2);
        var piece = new List<string>();
        int tokens = 0;
        foreach (string word in words)
        {
            int count = _countAnswerTokens(word) + 1;
            if (piece.Count > 0 && tokens + count > target)
            {
                into.Add(Measure([(line, string.Join(' ', piece))], blankAfter: false));
                piece.Clear();
                tokens = 0;
            }

            piece.Add(word);
            tokens += count;
        }

        if (piece.Count > 0)
        {
            into.Add(Measure([(line, string.Join(' ', piece))], blankAfter: false));
        }
    }

    private Unit Measure(List<(int Number, string Text)> lines, bool blankAfter)
    {
        string text = string.Join("\n", lines.Select(l => l.Text)) + (blankAfter ? "\n" : string.Empty);
        int embed = _embedder is null ? 0 : Math.Max(0, _embedder.CountTokens(text) - 2);
        return new Unit(lines, text, _countAnswerTokens(text) + 1, embed + 1);
    }

    private sealed record Unit(IReadOnlyList<(int Number, string Text)> Lines, string Text, int AnswerTokens, int EmbedTokens)
    {
        public int First => Lines[0].Number;

        public int Last => Lines[^1].Number;
    }
}
