using SkGroq.Models;

namespace SkGroq.Usage;

/// <summary>What a request cost, from the catalog's prices.</summary>
internal static class UsageCost
{
    /// <summary>Computes the cost of a request.</summary>
    /// <param name="catalog">The model catalog (prices per model).</param>
    /// <param name="model">The model that answered.</param>
    /// <param name="usage">The usage Groq reported, if any.</param>
    /// <param name="outcome">How the request ended.</param>
    /// <param name="cacheHit">Whether the answer came from the response cache.</param>
    /// <returns>
    /// The cost in US dollars; 0 for cache hits and for requests that failed or were cancelled before an answer (Groq bills
    /// nothing for them); <see langword="null"/> — unknown, never a silent 0 — when the model has no price or an answer
    /// ended without its usage.
    /// </returns>
    public static decimal? Compute(ModelCatalog catalog, string? model, GroqUsage? usage, UsageOutcome outcome, bool cacheHit)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (cacheHit)
        {
            return 0m;
        }

        if (usage is null)
        {
            return outcome is UsageOutcome.Error or UsageOutcome.Cancelled ? 0m : null;
        }

        return model is not null && catalog.TryGet(model, out ModelInfo? info) && info.Pricing is { } pricing
            ? pricing.Cost(Math.Max(0, usage.PromptTokens), Math.Max(0, usage.CompletionTokens), Math.Max(0, usage.CachedTokens))
            : null;
    }
}
