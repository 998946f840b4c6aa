using System.Text.Json.Serialization;

namespace SkGroq.Models;

/// <summary>The shape of the embedded <c>catalog.json</c>.</summary>
internal sealed class CatalogDocument
{
    public List<CatalogEntry> Models { get; set; } = [];
}

internal sealed class CatalogEntry
{
    public string Id { get; set; } = string.Empty;

    public string? OwnedBy { get; set; }

    public int ContextWindow { get; set; }

    public int MaxCompletionTokens { get; set; }

    public string? Tokenizer { get; set; }

    public bool Decommissioned { get; set; }

    public CatalogLimits? Free { get; set; }

    public CatalogLimits? Developer { get; set; }

    public CatalogPricing? Pricing { get; set; }
}

internal sealed class CatalogLimits
{
    public long? Rpm { get; set; }

    public long? Rpd { get; set; }

    public long? Tpm { get; set; }

    public long? Tpd { get; set; }

    public ModelLimits ToLimits() => new(Rpm, Rpd, Tpm, Tpd);
}

internal sealed class CatalogPricing
{
    public decimal Input { get; set; }

    public decimal Output { get; set; }

    public decimal? CachedInput { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(CatalogDocument))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
