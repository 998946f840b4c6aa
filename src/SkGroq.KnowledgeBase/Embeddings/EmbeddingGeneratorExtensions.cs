using Microsoft.Extensions.AI;

namespace SkGroq.KnowledgeBase.Embeddings;

/// <summary>Query embedding with the prefix the model card asks for.</summary>
public static class EmbeddingGeneratorExtensions
{
    /// <summary>Embeds a search query, putting the model's query prefix in front when it has one.</summary>
    /// <param name="generator">The generator.</param>
    /// <param name="query">The query.</param>
    /// <param name="queryPrefix">The prefix; <see langword="null"/> to take <see cref="LocalEmbeddingModel.QueryPrefix"/> of a <see cref="LocalEmbeddingGenerator"/> (none for other generators).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The query's embedding.</returns>
    public static async Task<ReadOnlyMemory<float>> EmbedQueryAsync(this IEmbeddingGenerator<string, Embedding<float>> generator, string query, string? queryPrefix = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(query);
        string prefix = queryPrefix ?? (generator.GetService<LocalEmbeddingGenerator>()?.Model.QueryPrefix ?? string.Empty);
        Embedding<float> embedding = await generator.GenerateAsync(prefix + query, cancellationToken: cancellationToken).ConfigureAwait(false);
        return embedding.Vector;
    }
}
