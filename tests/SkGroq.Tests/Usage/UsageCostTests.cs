using SkGroq.Models;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

public sealed class UsageCostTests
{
    private static readonly ModelCatalog s_catalog = new();

    [Fact]
    public void Compute_PricedModel_UsesInputOutputAndCachedPrices()
    {
        var usage = new GroqUsage(4641, 100, 4741) { CachedTokens = 4608 };

        decimal? cost = UsageCost.Compute(s_catalog, "openai/gpt-oss-120b", usage, UsageOutcome.Ok, cacheHit: false);

        Assert.Equal(((33 * 0.15m) + (4608 * 0.075m) + (100 * 0.6m)) / 1_000_000m, cost);
    }

    [Theory]
    [InlineData("qwen/qwen3.6-27b")]
    [InlineData("some/unknown-model")]
    public void Compute_ModelWithoutPrice_IsUnknown(string model)
        => Assert.Null(UsageCost.Compute(s_catalog, model, new GroqUsage(1, 1, 2), UsageOutcome.Ok, cacheHit: false));

    [Fact]
    public void Compute_IncompleteWithoutUsage_IsUnknown()
        => Assert.Null(UsageCost.Compute(s_catalog, "llama-3.1-8b-instant", null, UsageOutcome.Incomplete, cacheHit: false));

    [Theory]
    [InlineData(UsageOutcome.Error)]
    [InlineData(UsageOutcome.Cancelled)]
    public void Compute_FailedBeforeAnswer_IsZero(UsageOutcome outcome)
        => Assert.Equal(0m, UsageCost.Compute(s_catalog, "qwen/qwen3.6-27b", null, outcome, cacheHit: false));

    [Fact]
    public void Compute_CacheHit_IsZero()
        => Assert.Equal(0m, UsageCost.Compute(s_catalog, "llama-3.1-8b-instant", new GroqUsage(10, 10, 20), UsageOutcome.Ok, cacheHit: true));
}
