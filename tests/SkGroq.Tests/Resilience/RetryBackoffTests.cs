using CsCheck;
using SkGroq.Resilience;

namespace SkGroq.Tests.Resilience;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan s_base = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(8);

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 8)]
    [InlineData(62, 8)]
    [InlineData(1000, 8)]
    public void Backoff_WithoutJitter_DoublesUpToTheCap(int retry, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), RetryBackoff.Backoff(retry, s_base, s_max, jitter: 0));

    [Fact]
    public void Backoff_WithJitter_StaysWithinGroqSdkBounds()
        => Gen.Select(Gen.Int[0, 30], Gen.Double[0, 0.999999]).Sample((retry, jitter) =>
        {
            TimeSpan full = RetryBackoff.Backoff(retry, s_base, s_max, 0);
            TimeSpan jittered = RetryBackoff.Backoff(retry, s_base, s_max, jitter);
            Assert.InRange(jittered, (full * 0.75) - TimeSpan.FromMilliseconds(1), full);
            Assert.Equal(0, jittered.Ticks % TimeSpan.TicksPerMillisecond);
        });

    [Fact]
    public void Next_ServerHint_ReplacesTheBackoff_EvenWhenShorterOrLonger()
    {
        Assert.Equal(TimeSpan.FromSeconds(3.6), RetryBackoff.Next(0, TimeSpan.FromSeconds(3.6), s_base, s_max, 0.9));
        Assert.Equal(TimeSpan.FromMilliseconds(10), RetryBackoff.Next(4, TimeSpan.FromMilliseconds(10), s_base, s_max, 0));
        Assert.Equal(TimeSpan.FromMinutes(14), RetryBackoff.Next(0, TimeSpan.FromMinutes(14), s_base, s_max, 0));
        Assert.Equal(TimeSpan.Zero, RetryBackoff.Next(1, TimeSpan.Zero, s_base, s_max, 0));
    }

    [Fact]
    public void Next_ServerHint_IsRoundedUpToWholeMilliseconds()
    {
        Assert.True(SkGroq.Errors.GoDuration.TryParse("16.239999999s", out TimeSpan hint));
        Assert.Equal(TimeSpan.FromMilliseconds(16_240), RetryBackoff.Next(0, hint, s_base, s_max, 0));
    }

    [Fact]
    public void Next_NoHint_IsTheBackoff()
        => Assert.Equal(TimeSpan.FromSeconds(1.75), RetryBackoff.Next(2, null, s_base, s_max, jitter: 0.5));
}
