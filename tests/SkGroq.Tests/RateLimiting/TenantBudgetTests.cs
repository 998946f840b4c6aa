using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Context;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.Tests.Integration;
using SkGroq.Usage;

using SkGroq.Usage.Tracking;

namespace SkGroq.Tests.RateLimiting;

/// <summary>A per-tenant daily token budget: a tenant that spent it is refused with when it resets; others are not.</summary>
public sealed class TenantBudgetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TenantThatSpentItsBudget_IsRefusedWithWhenItResets_OthersAndNoTenantGoOn()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(groq: o => o.RateLimiting.TenantDailyTokenBudget = 50);
        host.Emulator.Script.Always(ScriptedReply.Text("An answer long enough to spend the whole budget of fifty tokens at once, and then some more words."));
        using GroqRequestScope records = GroqRequestContext.Begin(new GroqRequestOptions());

        await AskAsync(host, "acme");
        var refused = await Assert.ThrowsAsync<GroqRateLimitException>(() => AskAsync(host, "acme"));
        await AskAsync(host, "globex");
        await AskAsync(host, null);

        Assert.Equal("tenant_budget_exceeded", refused.Kind);
        Assert.False(refused.IsRetryable);
        Assert.StartsWith("Tenant 'acme' has used ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("of its 50 tokens for today (UTC). The budget resets at 00:00 UTC, in ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Groq:RateLimiting:TenantDailyTokenBudget", refused.Message, StringComparison.Ordinal);

        // Nothing is lost: the refused request has its record too, and the emulator saw three requests.
        Assert.Equal(4, records.Records.Count);
        Assert.Equal((UsageOutcome.Error, "tenant_budget_exceeded"), (records.Records[1].Outcome, records.Records[1].ErrorKind));
        Assert.Equal(3, host.Emulator.Accounting.Get(host.Emulator.ApiKey, "llama-3.1-8b-instant").Requests);
    }

    [Fact]
    public void Budget_ResetsAtMidnightUtc()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 23, 0, 0, TimeSpan.Zero));
        var budget = new TenantBudget(100, time);
        budget.Record(new UsageRecord { Timestamp = time.GetUtcNow(), ModelRequested = "m", TenantId = "acme", Usage = new GroqUsage(60, 40, 100) });

        var refused = Assert.Throws<GroqRateLimitException>(() => budget.ThrowIfSpent("acme", "m"));
        Assert.Equal(TimeSpan.FromHours(1), refused.Wait);

        time.Advance(TimeSpan.FromHours(1));
        budget.ThrowIfSpent("acme", "m");
        Assert.Equal(0, budget.UsedToday("acme"));
    }

    [Fact]
    public void Budget_ForgetsTheDaysBeforeYesterday_SoTenantsDoNotAccumulate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var budget = new TenantBudget(100, time);
        for (int day = 0; day < 5; day++)
        {
            foreach (string tenant in new[] { $"new-{day}-a", $"new-{day}-b", "regular" })
            {
                budget.Record(new UsageRecord { Timestamp = time.GetUtcNow(), ModelRequested = "m", TenantId = tenant, Usage = new GroqUsage(6, 4, 10) });
            }

            if (day < 4)
            {
                time.Advance(TimeSpan.FromDays(1));
            }
        }

        // On the fifth day only it and the day before are kept, 3 tenants each; the regular tenant's older days are gone.
        Assert.Equal(6, budget.Count);
        Assert.Equal(10, budget.UsedToday("regular"));
        Assert.Equal(10, budget.UsedToday("new-4-a"));
    }

    private static async Task AskAsync(PipelineHost host, string? tenant)
    {
        GroqRequestOptions ambient = GroqRequestContext.Current!.Options;
        using GroqRequestScope scope = GroqRequestContext.Begin(ambient with { TenantId = tenant });
        var history = new ChatHistory();
        history.AddUserMessage("Tell me something.");
        await host.Chat.GetChatMessageContentAsync(history, cancellationToken: Ct);
    }
}
