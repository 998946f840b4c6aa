using SkGroq.Caching;
using SkGroq.Context;

namespace SkGroq.Tests.Caching;

public sealed class CachePolicyTests
{
    [Theory]
    [InlineData(GroqCacheMode.Default, 0.0, "ReadWrite")]
    [InlineData(GroqCacheMode.Default, 0.7, "Bypass")]
    [InlineData(GroqCacheMode.Default, 1e-8, "Bypass")]
    [InlineData(GroqCacheMode.Default, null, "Bypass")]
    [InlineData(GroqCacheMode.Enabled, 0.7, "ReadWrite")]
    [InlineData(GroqCacheMode.Enabled, null, "ReadWrite")]
    [InlineData(GroqCacheMode.Disabled, 0.0, "Bypass")]
    [InlineData(GroqCacheMode.Refresh, 0.0, "Refresh")]
    [InlineData(GroqCacheMode.Refresh, 0.9, "Refresh")]
    public void Classify_ModeAndTemperature_Decides(GroqCacheMode mode, double? temperature, string expected)
    {
        Assert.Equal(expected, CachePolicy.Classify(mode, temperature).ToString());
    }

    [Theory]
    [InlineData("stop", true)]
    [InlineData("length", true)]
    [InlineData("tool_calls", false)]
    [InlineData("function_call", false)]
    [InlineData("content_filter", false)]
    [InlineData("STOP", false)]
    [InlineData(null, false)]
    public void IsStorable_FinishReason_OnlyStopAndLength(string? finishReason, bool expected)
    {
        Assert.Equal(expected, CachePolicy.IsStorable(finishReason));
    }

    [Theory]
    [InlineData(0, "Fresh")]
    [InlineData(59 * 60 + 59, "Fresh")]
    [InlineData(60 * 60, "Stale")]
    [InlineData(3 * 60 * 60 - 1, "Stale")]
    [InlineData(3 * 60 * 60, "Expired")]
    public void Evaluate_Age_FreshThenStaleThenExpired(int ageSeconds, string expected)
    {
        var storedAt = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, CachePolicy.Evaluate(storedAt, storedAt.AddSeconds(ageSeconds), TimeSpan.FromHours(1), TimeSpan.FromHours(2)).ToString());
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(-5, "0 s")]
    [InlineData(42, "42 s")]
    [InlineData(12 * 60 + 30, "12 min")]
    [InlineData(3 * 3600 + 5 * 60, "3 h 5 min")]
    [InlineData(86400 + 60, "1 day")]
    [InlineData(3 * 86400, "3 days")]
    public void CacheAge_Format_ReadsLikeAStatusLine(int seconds, string expected)
    {
        Assert.Equal(expected, CacheAge.Format(TimeSpan.FromSeconds(seconds)));
    }
}
