using CsCheck;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>Bucket arithmetic under any sequence of charges, refunds and refills.</summary>
public sealed class QuotaBucketPropertyTests
{
    private static readonly Gen<(long Add, long Advance)> s_step = Gen.Select(Gen.Long[-20_000, 20_000], Gen.Long[0, 2 * TimeSpan.TicksPerMinute]);

    [Fact]
    public void TicksUntilFits_AnyHistory_FitsAtTheReturnedTickAndNotOneTickEarlier()
    {
        Gen.Select(Gen.Long[1, 15_000], Gen.OneOf(Gen.Const(QuotaBucket.MinuteTicks), Gen.Const(QuotaBucket.DayTicks)), s_step.Array[0, 40], Gen.Double[0, 1]).Sample((limit, window, steps, share) =>
        {
            var bucket = new QuotaBucket(window);
            bucket.SetLimit(limit);
            long now = 0;
            foreach ((long add, long advance) in steps)
            {
                now += advance;
                bucket.Advance(now);
                bucket.Add(add);
                Assert.InRange(bucket.Used, 0, long.MaxValue);
            }

            long amount = Math.Max(1, (long)(share * limit));
            long ticks = bucket.TicksUntilFits(amount);
            Assert.InRange(ticks, 0, long.MaxValue - 1);
            if (ticks > 0)
            {
                QuotaBucket early = bucket;
                early.Advance(now + ticks - 1);
                Assert.False(early.Fits(amount), $"fits one tick before the {ticks} ticks it said");
            }

            QuotaBucket onTime = bucket;
            onTime.Advance(now + ticks);
            Assert.True(onTime.Fits(amount), $"does not fit after the {ticks} ticks it said");

            // Smaller amounts never wait longer; more than the limit never fits.
            Assert.True(bucket.TicksUntilFits(Math.Max(1, amount / 2)) <= ticks);
            Assert.Equal(long.MaxValue, bucket.TicksUntilFits(limit + 1));
        });
    }

    [Fact]
    public void Add_ChargeThenRefundTheSame_RestoresWhatFits()
    {
        Gen.Select(Gen.Long[1, 15_000], Gen.Long[0, 15_000], Gen.Long[1, 15_000]).Sample((limit, used, charge) =>
        {
            var bucket = new QuotaBucket(QuotaBucket.MinuteTicks);
            bucket.SetLimit(limit);
            bucket.Add(Math.Min(used, limit));
            long before = bucket.Used;

            bucket.Add(charge);
            bucket.Add(-charge);

            Assert.Equal(before, bucket.Used);
        });
    }
}
