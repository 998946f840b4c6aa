using System.Collections.Concurrent;
using System.Globalization;
using SkGroq.Errors;
using SkGroq.Inspection;

namespace SkGroq.Usage.Tracking;

/// <summary>Each tenant's tokens of the current UTC day against <c>Groq:RateLimiting:TenantDailyTokenBudget</c>.</summary>
internal sealed class TenantBudget(long? budget, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<(string Tenant, DateOnly Day), long> _used = new();
    private DateOnly _newestDay;

    /// <summary>Gets the daily budget; <see langword="null"/> when there is none.</summary>
    public long? Budget { get; } = budget;

    /// <summary>Counts a finished request's billed tokens for its tenant (cache hits cost nothing).</summary>
    /// <param name="record">The usage record.</param>
    public void Record(UsageRecord record)
    {
        if (Budget is null || string.IsNullOrEmpty(record.TenantId))
        {
            return;
        }

        long tokens = record.BilledPromptTokens + record.BilledCompletionTokens;
        if (tokens > 0)
        {
            DateOnly day = DateOnly.FromDateTime(record.Timestamp.UtcDateTime);
            _used.AddOrUpdate((record.TenantId, day), tokens, (_, used) => used + tokens);
            if (day > _newestDay)
            {
                // A new day: the days before yesterday can no longer be asked about; forget them so tenants do not accumulate.
                _newestDay = day;
                foreach ((string Tenant, DateOnly Day) key in _used.Keys.Where(k => k.Day < day.AddDays(-1)))
                {
                    _used.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>Gets the tokens a tenant used today (UTC).</summary>
    /// <param name="tenant">The tenant.</param>
    /// <returns>The tokens.</returns>
    public long UsedToday(string tenant) => _used.GetValueOrDefault((tenant, Today()));

    /// <summary>Gets how many (tenant, day) counts are held.</summary>
    internal int Count => _used.Count;

    /// <summary>Refuses a request of a tenant that spent its budget, saying when it resets.</summary>
    /// <param name="tenant">The request's tenant; <see langword="null"/> is never limited.</param>
    /// <param name="model">The request's model (for the error details).</param>
    /// <exception cref="GroqRateLimitException">The tenant spent its budget.</exception>
    public void ThrowIfSpent(string? tenant, string model)
    {
        if (Budget is not { } budget || string.IsNullOrEmpty(tenant))
        {
            return;
        }

        long used = UsedToday(tenant);
        if (used < budget)
        {
            return;
        }

        DateTimeOffset now = timeProvider.GetUtcNow();
        DateTimeOffset resets = new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        TimeSpan wait = resets - now;
        throw new GroqRateLimitException(
            string.Create(CultureInfo.InvariantCulture, $"Tenant '{tenant}' has used {used:N0} of its {budget:N0} tokens for today (UTC). The budget resets at 00:00 UTC, in {GroqErrorParser.FormatWait(wait)}; raise Groq:RateLimiting:TenantDailyTokenBudget to allow more."),
            new GroqErrorDetails { Model = model })
        {
            Reason = GroqRateLimitReason.TenantBudgetSpent,
            Limit = GroqLimitKind.TokensPerDay,
            LimitValue = budget,
            Used = used,
            FreesAt = resets,
            Wait = wait,
        };
    }

    private DateOnly Today() => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
}
