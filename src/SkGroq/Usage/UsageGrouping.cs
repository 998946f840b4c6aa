namespace SkGroq.Usage;

/// <summary>How <see cref="IUsageLedger.SummarizeAsync"/> groups records.</summary>
public enum UsageGrouping
{
    /// <summary>One row for everything.</summary>
    None,

    /// <summary>By the model that answered (the one asked for when none did).</summary>
    Model,

    /// <summary>By UTC calendar day, <c>yyyy-MM-dd</c>.</summary>
    Day,

    /// <summary>By conversation tag.</summary>
    Conversation,

    /// <summary>By tenant tag.</summary>
    Tenant,
}
