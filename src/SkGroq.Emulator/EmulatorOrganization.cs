using SkGroq.Models;

namespace SkGroq.Emulator;

/// <summary>An organization of the emulator: its API keys share one set of quotas per model.</summary>
public sealed class EmulatorOrganization
{
    /// <summary>Gets or sets the organization id shown in rate-limit messages, e.g. <c>org_01jy16rk1yffks8jdsmfn4s7rj</c>.</summary>
    /// <value>The default is <see langword="null"/>: derived from the first key.</value>
    public string? Id { get; set; }

    /// <summary>Gets the API keys of the organization.</summary>
    public IList<string> ApiKeys { get; } = [];

    /// <summary>Gets or sets the plan whose default limits apply.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="GroqEmulatorOptions.Tier"/>.</value>
    public GroqTier? Tier { get; set; }

    /// <summary>Gets per-model limit overrides of this organization; set values win over <see cref="GroqEmulatorOptions.Limits"/> and the catalog.</summary>
    public IDictionary<string, ModelLimits> Limits { get; } = new Dictionary<string, ModelLimits>(StringComparer.Ordinal);
}
