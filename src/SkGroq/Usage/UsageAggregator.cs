using System.Globalization;

namespace SkGroq.Usage;

/// <summary>Groups usage records and adds them up.</summary>
internal static class UsageAggregator
{
    /// <summary>The key of records without the tag a grouping uses.</summary>
    public const string Untagged = "(none)";

    /// <summary>Summarizes records by a grouping.</summary>
    /// <param name="records">The records.</param>
    /// <param name="groupBy">The grouping.</param>
    /// <returns>One summary per group, ordered by key.</returns>
    public static IReadOnlyList<UsageSummary> Summarize(IEnumerable<UsageRecord> records, UsageGrouping groupBy)
    {
        ArgumentNullException.ThrowIfNull(records);
        var groups = new Dictionary<string, UsageAccumulator>(StringComparer.Ordinal);
        foreach (UsageRecord record in records)
        {
            string key = KeyOf(record, groupBy);
            if (!groups.TryGetValue(key, out UsageAccumulator? accumulator))
            {
                accumulator = new UsageAccumulator(percentiles: true);
                groups.Add(key, accumulator);
            }

            accumulator.Add(record);
        }

        return [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.ToSummary(g.Key))];
    }

    /// <summary>Gets the group a record belongs to.</summary>
    /// <param name="record">The record.</param>
    /// <param name="groupBy">The grouping.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(UsageRecord record, UsageGrouping groupBy)
    {
        ArgumentNullException.ThrowIfNull(record);
        return groupBy switch
        {
            UsageGrouping.Model => record.ModelAnswered ?? record.ModelRequested,
            UsageGrouping.Day => record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            UsageGrouping.Conversation => record.ConversationId ?? Untagged,
            UsageGrouping.Tenant => record.TenantId ?? Untagged,
            _ => "total",
        };
    }
}
