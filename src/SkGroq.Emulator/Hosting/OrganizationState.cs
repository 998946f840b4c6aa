using SkGroq.Models;

namespace SkGroq.Emulator.Hosting;

/// <summary>An organization as the running emulator sees it: id, plan and limit overrides.</summary>
internal sealed class OrganizationState(string id, GroqTier tier, IReadOnlyDictionary<string, ModelLimits> limits)
{
    public string Id { get; } = id;

    public GroqTier Tier { get; } = tier;

    public IReadOnlyDictionary<string, ModelLimits> Limits { get; } = limits;
}
