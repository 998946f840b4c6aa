using System.Globalization;
using System.Text;
using SkGroq.KnowledgeBase.Search;

namespace SkGroq.KnowledgeBase.Agent;

/// <summary>The passages given to the model in one turn, numbered <c>S1</c>…<c>Sn</c> in the order first retrieved; a passage retrieved twice keeps its number.</summary>
public sealed class KnowledgeBaseSources
{
    private readonly Lock _gate = new();
    private readonly List<KnowledgeBaseHit> _hits = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);

    /// <summary>Gets every passage given so far, in label order (<c>S1</c> first).</summary>
    public IReadOnlyList<KnowledgeBaseHit> All
    {
        get
        {
            lock (_gate)
            {
                return _hits.ToList();
            }
        }
    }

    /// <summary>Numbers hits, reusing the number of a passage already given.</summary>
    /// <param name="hits">The hits of one search.</param>
    /// <returns>The hits with their labels, e.g. <c>S3</c>.</returns>
    public IReadOnlyList<(string Label, KnowledgeBaseHit Hit)> Add(IEnumerable<KnowledgeBaseHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var labelled = new List<(string, KnowledgeBaseHit)>();
        lock (_gate)
        {
            foreach (KnowledgeBaseHit hit in hits)
            {
                if (!_byKey.TryGetValue(hit.Chunk.Key, out int index))
                {
                    index = _hits.Count;
                    _hits.Add(hit);
                    _byKey[hit.Chunk.Key] = index;
                }

                labelled.Add((Label(index), _hits[index]));
            }
        }

        return labelled;
    }

    /// <summary>Finds the passage of a label.</summary>
    /// <param name="label">A label such as <c>S2</c>.</param>
    /// <returns>The passage; <see langword="null"/> when no passage had that label.</returns>
    public KnowledgeBaseHit? Find(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length < 2 || label[0] is not ('S' or 's') || !int.TryParse(label.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return null;
        }

        lock (_gate)
        {
            return number >= 1 && number <= _hits.Count ? _hits[number - 1] : null;
        }
    }

    /// <summary>Formats labelled passages for the model: <c>[S1] file › heading (lines 12-30)</c>, then the text.</summary>
    /// <param name="labelled">The passages.</param>
    /// <returns>The text.</returns>
    public static string Format(IReadOnlyList<(string Label, KnowledgeBaseHit Hit)> labelled)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        if (labelled.Count == 0)
        {
            return "No passages matched. Try other words; if nothing matches, the documents do not cover the question.";
        }

        var text = new StringBuilder();
        foreach ((string label, KnowledgeBaseHit hit) in labelled)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{label}] {hit.Chunk.Name} (lines {hit.Chunk.Lines})\n{hit.Chunk.Text}\n\n");
        }

        return text.ToString().TrimEnd();
    }

    private static string Label(int index) => string.Create(CultureInfo.InvariantCulture, $"S{index + 1}");
}
