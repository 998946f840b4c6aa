using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel.Data;
using SkGroq.KnowledgeBase.Search;
using SkGroq.KnowledgeBase.Storage;

namespace SkGroq.KnowledgeBase.Agent;

/// <summary>
/// Semantic Kernel's text search over a knowledge base: result name <c>file › heading</c>, link <c>path#Lstart-Lend</c>,
/// value the passage. Usable with SK's text-search plugins and its <see cref="TextSearchProvider"/>.
/// </summary>
/// <remarks>
/// It implements both <see cref="ITextSearch{TRecord}"/> (with LINQ filters over <see cref="KnowledgeBaseChunk"/>) and the
/// older non-generic interface, which <see cref="TextSearchProvider"/> in Semantic Kernel 1.82 still takes.
/// </remarks>
/// <param name="searcher">The search.</param>
/// <param name="mode">The retrieval mode; <see langword="null"/> for the searcher's default.</param>
/// <param name="onResults">Told of each search's hits, in the order returned.</param>
#pragma warning disable CS0618 // ITextSearch and TextSearchOptions: TextSearchProvider takes only these in Semantic Kernel 1.82.
public sealed class KnowledgeBaseTextSearch(KnowledgeBaseSearcher searcher, RetrievalMode? mode = null, Action<IReadOnlyList<KnowledgeBaseHit>>? onResults = null)
    : ITextSearch<KnowledgeBaseChunk>, ITextSearch
{
    /// <inheritdoc/>
    public async Task<KernelSearchResults<string>> SearchAsync(string query, TextSearchOptions<KnowledgeBaseChunk>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await FindAsync(query, searchOptions?.Top, searchOptions?.Skip, searchOptions?.Filter?.Compile(), cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<string>(EnumerateAsync(hits.Select(h => h.Chunk.Text), cancellationToken), hits.Count);
    }

    /// <inheritdoc/>
    public async Task<KernelSearchResults<TextSearchResult>> GetTextSearchResultsAsync(string query, TextSearchOptions<KnowledgeBaseChunk>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await FindAsync(query, searchOptions?.Top, searchOptions?.Skip, searchOptions?.Filter?.Compile(), cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<TextSearchResult>(EnumerateAsync(hits.Select(ToResult), cancellationToken), hits.Count);
    }

    /// <inheritdoc/>
    public async Task<KernelSearchResults<KnowledgeBaseChunk>> GetSearchResultsAsync(string query, TextSearchOptions<KnowledgeBaseChunk>? searchOptions = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await FindAsync(query, searchOptions?.Top, searchOptions?.Skip, searchOptions?.Filter?.Compile(), cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<KnowledgeBaseChunk>(EnumerateAsync(hits.Select(h => h.Chunk), cancellationToken), hits.Count);
    }

    /// <inheritdoc/>
    async Task<KernelSearchResults<string>> ITextSearch.SearchAsync(string query, TextSearchOptions? searchOptions, CancellationToken cancellationToken)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await FindAsync(query, searchOptions?.Top, searchOptions?.Skip, null, cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<string>(EnumerateAsync(hits.Select(h => h.Chunk.Text), cancellationToken), hits.Count);
    }

    /// <inheritdoc/>
    async Task<KernelSearchResults<TextSearchResult>> ITextSearch.GetTextSearchResultsAsync(string query, TextSearchOptions? searchOptions, CancellationToken cancellationToken)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await FindAsync(query, searchOptions?.Top, searchOptions?.Skip, null, cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<TextSearchResult>(EnumerateAsync(hits.Select(ToResult), cancellationToken), hits.Count);
    }

    /// <inheritdoc/>
    async Task<KernelSearchResults<object>> ITextSearch.GetSearchResultsAsync(string query, TextSearchOptions? searchOptions, CancellationToken cancellationToken)
    {
        IReadOnlyList<KnowledgeBaseHit> hits = await FindAsync(query, searchOptions?.Top, searchOptions?.Skip, null, cancellationToken).ConfigureAwait(false);
        return new KernelSearchResults<object>(EnumerateAsync<object>(hits, cancellationToken), hits.Count);
    }

    private static TextSearchResult ToResult(KnowledgeBaseHit hit) => new(hit.Chunk.Text) { Name = hit.Chunk.Name, Link = hit.Chunk.Link };

    private static async IAsyncEnumerable<T> EnumerateAsync<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (T item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Searches and returns the hits themselves (with scores), as every interface method does underneath.</summary>
    /// <param name="query">The query.</param>
    /// <param name="top">The most hits.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The hits, best first.</returns>
    public Task<IReadOnlyList<KnowledgeBaseHit>> FindAsync(string query, int top, CancellationToken cancellationToken = default) =>
        FindAsync(query, top, 0, null, cancellationToken);

    private async Task<IReadOnlyList<KnowledgeBaseHit>> FindAsync(string query, int? top, int? skip, Func<KnowledgeBaseChunk, bool>? filter, CancellationToken cancellationToken)
    {
        int take = top ?? 5;
        int from = skip ?? 0;
        int depth = filter is null ? take + from : Math.Max(50, (take + from) * 4);
        IReadOnlyList<KnowledgeBaseHit> hits = await searcher.SearchAsync(query, depth, mode, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<KnowledgeBaseHit> page = hits.Where(h => filter?.Invoke(h.Chunk) ?? true).Skip(from).Take(take).ToList();
        onResults?.Invoke(page);
        return page;
    }
}
#pragma warning restore CS0618
