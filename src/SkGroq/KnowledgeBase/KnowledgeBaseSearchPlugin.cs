using System.ComponentModel;
using System.Globalization;
using System.Text;
using Microsoft.SemanticKernel;

namespace SkGroq.KnowledgeBase;

/// <summary>The knowledge-base search tool the agent calls through Groq tool use.</summary>
/// <param name="index">The index searched.</param>
/// <param name="onSearch">Told of every search and its hits (the agent uses it to check the answer's sources).</param>
public sealed class KnowledgeBaseSearchPlugin(KnowledgeBaseIndex index, Action<string, IReadOnlyList<KnowledgeBaseHit>>? onSearch = null)
{
    /// <summary>The plugin name under which the kernel registers this tool.</summary>
    public const string PluginName = "knowledge_base";

    /// <summary>Searches the knowledge base.</summary>
    /// <param name="query">Keywords.</param>
    /// <param name="top">How many passages.</param>
    /// <returns>Numbered passages, each tagged with its source file, or a line saying nothing matched.</returns>
    [KernelFunction("search")]
    [Description("Searches the company's knowledge-base documents and returns the most relevant passages, each tagged with its source file name. Call it before answering any question about the company's policies, products or procedures, and cite the source file names in the answer.")]
    public string Search(
        [Description("Keywords to look for, e.g. 'vacation days carry over'. Use the specific nouns of the question.")] string query,
        [Description("How many passages to return, 1 to 8.")] int top = 4)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<KnowledgeBaseHit> hits = index.Search(query, Math.Clamp(top, 1, 8));
        onSearch?.Invoke(query, hits);
        return Format(hits);
    }

    /// <summary>Formats hits as the numbered, source-tagged passages the <c>KnowledgeBase/AnswerWithSources</c> prompt expects.</summary>
    /// <param name="hits">The hits.</param>
    /// <returns>The text.</returns>
    public static string Format(IReadOnlyList<KnowledgeBaseHit> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        if (hits.Count == 0)
        {
            return "No passages matched. Try other keywords; if nothing matches, the documents do not cover the question.";
        }

        var text = new StringBuilder();
        for (int i = 0; i < hits.Count; i++)
        {
            KnowledgeBasePassage p = hits[i].Passage;
            text.Append(CultureInfo.InvariantCulture, $"[{i + 1}] ({p.Source} — {p.Title})\n{p.Text}\n\n");
        }

        return text.ToString().TrimEnd();
    }
}
