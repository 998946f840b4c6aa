namespace SkGroq.Models;

/// <summary>The Groq plan of the organization; selects the catalog's default rate limits.</summary>
public enum GroqTier
{
    /// <summary>The free plan.</summary>
    Free,

    /// <summary>The developer (pay-as-you-go) plan.</summary>
    Developer,
}
