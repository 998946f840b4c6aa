using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

public sealed class UsageAggregatorTests
{
    private static readonly DateTimeOffset s_day1 = new(2026, 11, 23, 23, 59, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_day2 = new(2026, 11, 24, 0, 1, 0, TimeSpan.Zero);

    [Fact]
    public void Summarize_ByModel_AddsTokensCostsAndCounts()
    {
        UsageRecord[] records =
        [
            UsageRecords.Make(s_day1, "a", 10, 5, 0.5m),
            UsageRecords.Make(s_day1, "a", 20, 1, 0.25m),
            UsageRecords.Make(s_day2, "b", 7, 3, 1m, UsageOutcome.Incomplete),
            UsageRecords.Make(s_day2, "b", 0, 0, 0m, UsageOutcome.Error),
        ];

        IReadOnlyList<UsageSummary> summaries = UsageAggregator.Summarize(records, UsageGrouping.Model);

        Assert.Equal(["a", "b"], summaries.Select(s => s.Key));
        UsageSummary a = summaries[0];
        Assert.Equal(2, a.Requests);
        Assert.Equal(2, a.Succeeded);
        Assert.Equal(30, a.PromptTokens);
        Assert.Equal(6, a.CompletionTokens);
        Assert.Equal(36, a.TotalTokens);
        Assert.Equal(4, a.CachedPromptTokens);
        Assert.Equal(0.75m, a.Cost);
        UsageSummary b = summaries[1];
        Assert.Equal(1, b.Incomplete);
        Assert.Equal(1, b.Failed);
        Assert.Equal(1m, b.Cost);
    }

    [Fact]
    public void Summarize_AnyUnknownCost_CostIsUnknownButKnownPartIsKept()
    {
        IReadOnlyList<UsageSummary> summaries = UsageAggregator.Summarize(
            [UsageRecords.Make(s_day1, cost: 0.5m), UsageRecords.Make(s_day1, cost: null)], UsageGrouping.None);

        UsageSummary total = Assert.Single(summaries);
        Assert.Equal("total", total.Key);
        Assert.Null(total.Cost);
        Assert.Equal(0.5m, total.KnownCost);
        Assert.Equal(1, total.UnknownCostRequests);
    }

    [Fact]
    public void Summarize_ByDay_UsesUtcCalendarDays()
    {
        var local = new DateTimeOffset(2026, 11, 24, 1, 30, 0, TimeSpan.FromHours(2));

        IReadOnlyList<UsageSummary> summaries = UsageAggregator.Summarize([UsageRecords.Make(s_day1), UsageRecords.Make(s_day2), UsageRecords.Make(local)], UsageGrouping.Day);

        Assert.Equal(["2026-11-23", "2026-11-24"], summaries.Select(s => s.Key));
        Assert.Equal([2L, 1L], summaries.Select(s => s.Requests));
    }

    [Fact]
    public void Summarize_ByConversationAndTenant_UntaggedRecordsGroupAsNone()
    {
        UsageRecord[] records = [UsageRecords.Make(s_day1, conversation: "c1", tenant: "t1"), UsageRecords.Make(s_day1), UsageRecords.Make(s_day1, conversation: "c1")];

        Assert.Equal([("(none)", 1L), ("c1", 2L)], UsageAggregator.Summarize(records, UsageGrouping.Conversation).Select(s => (s.Key, s.Requests)));
        Assert.Equal([("(none)", 2L), ("t1", 1L)], UsageAggregator.Summarize(records, UsageGrouping.Tenant).Select(s => (s.Key, s.Requests)));
    }

    [Fact]
    public void Summarize_TimesToFirstToken_NearestRankPercentiles()
    {
        UsageRecord[] records = [.. Enumerable.Range(1, 20).Select(i => UsageRecords.Make(s_day1, ttft: TimeSpan.FromMilliseconds(i * 10))), UsageRecords.Make(s_day1)];

        UsageSummary total = Assert.Single(UsageAggregator.Summarize(records, UsageGrouping.None));

        Assert.Equal(TimeSpan.FromMilliseconds(100), total.TimeToFirstTokenP50);
        Assert.Equal(TimeSpan.FromMilliseconds(190), total.TimeToFirstTokenP95);
    }

    [Fact]
    public void Summarize_CacheHits_BillNothingAndCountTokensSaved()
    {
        UsageSummary total = Assert.Single(UsageAggregator.Summarize([UsageRecords.Make(s_day1, prompt: 100, completion: 20, cost: 0m, cacheHit: true)], UsageGrouping.None));

        Assert.Equal(1, total.CacheHits);
        Assert.Equal(120, total.TokensSaved);
        Assert.Equal(0, total.TotalTokens);
        Assert.Equal(0, total.CachedPromptTokens);
        Assert.Equal(0m, total.Cost);
    }

    [Fact]
    public void Summarize_NoRecords_NoRows() => Assert.Empty(UsageAggregator.Summarize([], UsageGrouping.Model));
}
