namespace SkGroq.Models;

/// <summary>Prices of one model in US dollars per million tokens.</summary>
/// <param name="InputPerMillion">Price of a million prompt tokens.</param>
/// <param name="OutputPerMillion">Price of a million completion tokens.</param>
/// <param name="CachedInputPerMillion">Price of a million cached prompt tokens; <see langword="null"/> when cached tokens cost the same as others.</param>
public sealed record ModelPricing(decimal InputPerMillion, decimal OutputPerMillion, decimal? CachedInputPerMillion = null)
{
    /// <summary>Computes the cost of one request.</summary>
    /// <param name="promptTokens">Prompt tokens as reported, cached ones included.</param>
    /// <param name="completionTokens">Completion tokens as reported.</param>
    /// <param name="cachedTokens">The part of <paramref name="promptTokens"/> served from Groq's prompt cache.</param>
    /// <returns>The cost in US dollars.</returns>
    public decimal Cost(long promptTokens, long completionTokens, long cachedTokens = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(completionTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(cachedTokens);
        long cached = Math.Min(cachedTokens, promptTokens);
        decimal cachedPrice = CachedInputPerMillion ?? InputPerMillion;
        return (((promptTokens - cached) * InputPerMillion) + (cached * cachedPrice) + (completionTokens * OutputPerMillion)) / 1_000_000m;
    }
}
