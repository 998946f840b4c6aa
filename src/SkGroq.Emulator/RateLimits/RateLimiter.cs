using System.Collections.Concurrent;
using SkGroq.Emulator.Hosting;
using SkGroq.Models;

namespace SkGroq.Emulator.RateLimits;

/// <summary>The quotas of every (organization, model), created on first use from the catalog plan limits and the overrides.</summary>
internal sealed class RateLimiter(IReadOnlyDictionary<string, ModelLimits> globalOverrides, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<(string Organization, string Model), ModelQuota> _quotas = new();

    public long Now => timeProvider.GetTimestamp();

    public ModelQuota For(OrganizationState organization, ModelInfo model)
    {
        if (_quotas.TryGetValue((organization.Id, model.Id), out ModelQuota? quota))
        {
            return quota;
        }

        ModelLimits limits = model.LimitsFor(organization.Tier);
        if (globalOverrides.TryGetValue(model.Id, out ModelLimits global))
        {
            limits = limits.With(global);
        }

        if (organization.Limits.TryGetValue(model.Id, out ModelLimits own))
        {
            limits = limits.With(own);
        }

        return _quotas.GetOrAdd((organization.Id, model.Id), new ModelQuota(limits, Now, timeProvider.TimestampFrequency));
    }

    /// <summary>Refills every bucket (forgets all use).</summary>
    public void Reset() => _quotas.Clear();
}
