using System.ComponentModel;
using Microsoft.SemanticKernel;
using SkGroq.KnowledgeBase.Search;

namespace SkGroq.KnowledgeBase.Agent;

/// <summary>The knowledge-base search tool the model calls through Groq tool use, on the knowledge base's <see cref="KnowledgeBaseTextSearch"/>; passages come back numbered for citation.</summary>
/// <param name="search">The text search.</param>
/// <param name="sources">The turn's numbered passages.</param>
/// <param name="onSearch">Told of every query (the agent lists them).</param>
public sealed class KnowledgeBaseSearchPlugin(KnowledgeBaseTextSearch search, KnowledgeBaseSources sources, Action<string>? onSearch = null)
{
    /// <summary>The plugin name under which the kernel registers this tool.</summary>
    public const string PluginName = "knowledge_base";

    /// <summary>Searches the knowledge base.</summary>
    /// <param name="query">What to look for.</param>
    /// <param name="top">How many passages.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Numbered passages, each with its source file, heading and lines, or a line saying nothing matched.</returns>
    [KernelFunction("search")]
    [Description("Searches the company's knowledge-base documents and returns the most relevant passages, numbered [S1], [S2], … with their source file and heading. Call it before answering any question about the company's policies, products or procedures, and cite the passage numbers in the answer.")]
    public async Task<string> SearchAsync(
        [Description("What to look for: the question in your own words or its key terms, e.g. 'how many vacation days carry over'.")] string query,
        [Description("How many passages to return, 1 to 8.")] int top = 5,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query))
        {
            return "The search query was empty. Search again with the key terms of the question.";
        }

        onSearch?.Invoke(query);
        IReadOnlyList<KnowledgeBaseHit> hits = await search.FindAsync(query, Math.Clamp(top, 1, 8), cancellationToken).ConfigureAwait(false);
        return KnowledgeBaseSources.Format(sources.Add(hits));
    }
}
