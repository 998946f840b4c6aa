using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

public sealed class QuotaBucketTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void Fits_UpToTheLimit_ThenNotUntilOneTokenRefills()
    {
        QuotaBucket bucket = Bucket(6_000, QuotaBucket.MinuteTicks);
        bucket.Add(6_000);

        Assert.False(bucket.Fits(1));
        long wait = (Second / 100) + QuotaBucket.GuardTicks; // 60 s / 6,000 tokens = 10 ms a token, plus the guard
        Assert.Equal(wait, bucket.TicksUntilFits(1));
        bucket.Advance(wait - 1);
        Assert.False(bucket.Fits(1));
        bucket.Advance(wait);
        Assert.True(bucket.Fits(1));
        Assert.False(bucket.Fits(2));
    }

    [Theory]
    [InlineData(8_000, 3_164, 36.27)]
    [InlineData(6_000, 5_719, 2.81)]
    [InlineData(6_000, 4_825, 11.75)]
    public void TicksUntilFits_WholeLimit_IsGroqsResetFormulaPlusTheGuard(long limit, long remaining, double resetSeconds)
    {
        // Groq's x-ratelimit-reset-tokens = (limit − remaining) / limit × 60 s: the time until the bucket is full again (§5.2).
        QuotaBucket bucket = Bucket(limit, QuotaBucket.MinuteTicks);
        bucket.Add(limit - remaining);

        Assert.Equal(TimeSpan.FromSeconds(resetSeconds) + TimeSpan.FromTicks(QuotaBucket.GuardTicks), TimeSpan.FromTicks(bucket.TicksUntilFits(limit)));
    }

    [Fact]
    public void TicksUntilFits_WholeLimitOfABucketThatNeverRanDry_IsZero()
    {
        // Exactly full on both sides (a server clamps to the limit): no guard needed.
        Assert.Equal(0, Bucket(6_000, QuotaBucket.MinuteTicks).TicksUntilFits(6_000));
    }

    [Fact]
    public void TicksUntilFits_WholeLimitAfterARefundFilledTheBucket_IsZero()
    {
        QuotaBucket bucket = Bucket(6_000, QuotaBucket.MinuteTicks);
        bucket.Add(5_000);
        bucket.Add(-5_000);

        Assert.Equal(0, bucket.TicksUntilFits(6_000));
    }

    [Fact]
    public void TicksUntilFits_DrainedByWholeUnitsOnly_NeedsNoGuard()
    {
        QuotaBucket bucket = Bucket(30, QuotaBucket.MinuteTicks);
        bucket.Add(29);

        Assert.Equal(0, bucket.TicksUntilFits(1));
    }

    [Fact]
    public void TicksUntilFits_AfterARefill_KeepsTheGuardAtTheExactBoundary()
    {
        QuotaBucket bucket = Bucket(30, QuotaBucket.MinuteTicks);
        bucket.Add(30);
        bucket.Advance(2 * Second); // exactly one request refilled — on a server in floating point, maybe a hair less

        Assert.Equal(QuotaBucket.GuardTicks, bucket.TicksUntilFits(1));
        bucket.Advance((2 * Second) + QuotaBucket.GuardTicks);
        Assert.True(bucket.Fits(1));
    }

    [Fact]
    public void TicksUntilFits_WholeLimitJustRefilled_WaitsTheGuard()
    {
        QuotaBucket bucket = Bucket(60, QuotaBucket.MinuteTicks);
        bucket.Add(60);
        bucket.Advance(QuotaBucket.MinuteTicks);

        Assert.Equal(0, bucket.Used);
        Assert.Equal(QuotaBucket.GuardTicks, bucket.TicksUntilFits(60));
        Assert.Equal(0, bucket.TicksUntilFits(59));
    }

    [Fact]
    public void TicksUntilFits_RequestsPerDay_IsSixSecondsARequestAt14400()
    {
        QuotaBucket bucket = Bucket(14_400, QuotaBucket.DayTicks);
        bucket.Add(14_400);

        Assert.Equal((6 * Second) + QuotaBucket.GuardTicks, bucket.TicksUntilFits(1));
    }

    [Fact]
    public void TicksUntilFits_MoreThanTheLimit_IsNever()
        => Assert.Equal(long.MaxValue, Bucket(6_000, QuotaBucket.MinuteTicks).TicksUntilFits(6_001));

    [Fact]
    public void TicksUntilFits_RoundsUp_SoTheAmountFitsAtTheReturnedTick()
    {
        QuotaBucket bucket = Bucket(7, QuotaBucket.MinuteTicks);
        bucket.Add(7);

        long ticks = bucket.TicksUntilFits(1); // 60 s / 7 is not a whole number of ticks
        bucket.Advance(ticks - 1);
        Assert.False(bucket.Fits(1));
        bucket.Advance(ticks);
        Assert.True(bucket.Fits(1));
    }

    [Fact]
    public void Add_Refund_NeverTakesTheBucketPastFull()
    {
        QuotaBucket bucket = Bucket(100, QuotaBucket.MinuteTicks);
        bucket.Add(50);
        bucket.Add(-80);

        Assert.Equal(0, bucket.Used);
        Assert.True(bucket.Fits(100));
        Assert.False(bucket.Fits(101));
    }

    [Fact]
    public void Add_ChargeAboveTheLimit_IsKeptAndRefillsAtTheLimitRate()
    {
        QuotaBucket bucket = Bucket(100, QuotaBucket.MinuteTicks);
        bucket.Add(150);

        Assert.Equal(150, bucket.Used);
        Assert.Equal((54 * Second) + QuotaBucket.GuardTicks, bucket.TicksUntilFits(40)); // 150 + 40 − 100 = 90 tokens at 100 a minute: 54 s
    }

    [Fact]
    public void Advance_Backwards_IsIgnored()
    {
        QuotaBucket bucket = Bucket(60, QuotaBucket.MinuteTicks);
        bucket.Advance(100 * Second);
        bucket.Add(60);
        bucket.Advance(50 * Second);

        Assert.Equal(60, bucket.Used);
        bucket.Advance(101 * Second);
        Assert.Equal(59, bucket.Used);
    }

    [Fact]
    public void Unlimited_AdmitsEverythingAndCountsNothing()
    {
        var bucket = new QuotaBucket(QuotaBucket.MinuteTicks);
        bucket.Add(long.MaxValue / 2);

        Assert.False(bucket.IsLimited);
        Assert.True(bucket.Fits(long.MaxValue / 2));
        Assert.Equal(0, bucket.TicksUntilFits(long.MaxValue / 2));
        Assert.Equal(0, bucket.Used);
    }

    [Fact]
    public void SetLimit_Changed_KeepsTheAmountUsed()
    {
        QuotaBucket bucket = Bucket(6_000, QuotaBucket.MinuteTicks);
        bucket.Add(5_000);

        bucket.SetLimit(12_000);

        Assert.Equal(5_000, bucket.Used);
        Assert.True(bucket.Fits(7_000));
        Assert.False(bucket.Fits(7_001));
    }

    [Fact]
    public void RaiseUsedTo_OnlyRaises()
    {
        QuotaBucket bucket = Bucket(6_000, QuotaBucket.MinuteTicks);
        bucket.Add(3_000);

        Assert.False(bucket.RaiseUsedTo(2_000));
        Assert.Equal(3_000, bucket.Used);
        Assert.True(bucket.RaiseUsedTo(4_000));
        Assert.Equal(4_000, bucket.Used);
    }

    [Fact]
    public void LargeDailyLimits_DoNotOverflow()
    {
        // A trillion tokens a day times a day of ticks is far beyond a 64-bit integer.
        QuotaBucket bucket = Bucket(1_000_000_000_000, QuotaBucket.DayTicks);
        bucket.Add(1_000_000_000_000);

        Assert.Equal(1_000_000_000_000, bucket.Used);
        Assert.False(bucket.Fits(1));
        bucket.Advance(QuotaBucket.DayTicks);
        Assert.Equal(0, bucket.Used);
        Assert.True(bucket.Fits(999_999_999_999));
        bucket.Advance(QuotaBucket.DayTicks + QuotaBucket.GuardTicks);
        Assert.True(bucket.Fits(1_000_000_000_000));
    }

    private static QuotaBucket Bucket(long limit, long window)
    {
        var bucket = new QuotaBucket(window);
        bucket.SetLimit(limit);
        return bucket;
    }
}
