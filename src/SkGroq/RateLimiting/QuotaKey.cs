namespace SkGroq.RateLimiting;

/// <summary>Identifies one set of Groq limits: limits apply per organization and per model (docs/GROQ-API.md §5.1).</summary>
/// <param name="Organization">The organization label: <c>Groq:Organization</c>, or a fingerprint of the API key (never the key).</param>
/// <param name="Model">The model id.</param>
internal readonly record struct QuotaKey(string Organization, string Model)
{
    /// <inheritdoc />
    public override string ToString() => $"{Organization}/{Model}";
}
