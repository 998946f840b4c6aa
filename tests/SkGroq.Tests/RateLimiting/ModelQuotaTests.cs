using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

public sealed class ModelQuotaTests
{
    private static readonly ModelLimits s_limits = new(30, 14_400, 6_000, 500_000);
    private readonly ModelQuota _quota = new(new QuotaKey("org", "llama-3.1-8b-instant"));

    [Fact]
    public void Settle_StaleCopyOfARecycledHandle_IsRefused()
    {
        QuotaReservation first = _quota.TryReserve(QuotaRequest.Exact(100, s_limits), 0).Reservation;
        Assert.True(_quota.Settle(first, 100, 0));

        // The ledger entry is recycled for the next reservation; the old copy must not settle the new one.
        QuotaReservation second = _quota.TryReserve(QuotaRequest.Exact(200, s_limits), 0).Reservation;
        Assert.Same(first.Handle, second.Handle);
        Assert.False(_quota.Settle(first, 0, 0));
        Assert.False(_quota.Release(first, 0));

        Assert.Equal(1, _quota.InFlightCount);
        Assert.Equal(200, _quota.InFlightTokens);
    }

    [Fact]
    public void InFlightAfter_CountsOnlyLaterReservationsStillInFlight()
    {
        QuotaReservation a = _quota.TryReserve(QuotaRequest.Exact(100, s_limits), 0).Reservation;
        QuotaReservation b = _quota.TryReserve(QuotaRequest.Exact(200, s_limits), 0).Reservation;
        QuotaReservation c = _quota.TryReserve(QuotaRequest.Exact(400, s_limits), 0).Reservation;
        _quota.Settle(b, 200, 0);

        Assert.Equal((1, 400L), _quota.InFlightAfter(a.Id));
        Assert.Equal((0, 0L), _quota.InFlightAfter(c.Id));
        Assert.Equal((2, 500L), _quota.InFlightAfter(0));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void InFlightAfter_AnyOrderOfSettling_MatchesCountingEveryReservation(int seed)
    {
        // Reservations settle in any order; the answer must be what counting the whole ledger gives, whichever end the
        // boundary is nearer to.
        var random = new Random(seed);
        var held = new List<QuotaReservation>();
        for (int step = 0; step < 2_000; step++)
        {
            if (held.Count == 0 || random.Next(3) != 0)
            {
                held.Add(_quota.TryReserve(QuotaRequest.Exact(random.Next(1, 500), ModelLimits.None), 0).Reservation);
            }
            else
            {
                int index = random.Next(held.Count);
                Assert.True(_quota.Settle(held[index], 0, 0));
                held.RemoveAt(index);
            }

            long boundary = held.Count == 0 || random.Next(5) == 0 ? random.Next(0, step + 2) : held[random.Next(held.Count)].Id;
            (int Count, long Tokens) expected = (held.Count(r => r.Id > boundary), held.Where(r => r.Id > boundary).Sum(r => r.Tokens));
            Assert.Equal(expected, _quota.InFlightAfter(boundary));
        }
    }

    [Fact]
    public void Learn_ResetWithoutRemaining_DerivesTheServersUsage()
    {
        QuotaReservation answered = _quota.TryReserve(QuotaRequest.Exact(1, ModelLimits.None), 0).Reservation;

        _quota.Learn(new QuotaObservation(new GroqRateLimitHeaders(null, null, null, 8_000, null, TimeSpan.FromSeconds(36.27)), answered.Id), 0);

        Assert.Equal(4_836, _quota.Snapshot(0).TokensPerMinute.Used);
    }

    [Fact]
    public void Learn_FullBucketReportsOneMillisecond_MeansNothingUsed()
    {
        QuotaReservation answered = _quota.TryReserve(QuotaRequest.Exact(1, ModelLimits.None), 0).Reservation;

        _quota.Learn(new QuotaObservation(new GroqRateLimitHeaders(14_400, null, TimeSpan.FromMilliseconds(1), 6_000, null, TimeSpan.FromMilliseconds(1)), answered.Id), 0);

        QuotaSnapshot snapshot = _quota.Snapshot(0);
        Assert.Equal(0, snapshot.TokensPerMinute.Used);
        Assert.Equal(0, snapshot.RequestsPerDay.Used);
    }

    [Fact]
    public void Learn_HeadersAheadOfAllOurs_CountEveryLaterReservationOnTop()
    {
        QuotaReservation answered = _quota.TryReserve(QuotaRequest.Exact(100, s_limits), 0).Reservation;
        for (int i = 0; i < 3; i++)
        {
            _quota.TryReserve(QuotaRequest.Exact(1_000, s_limits), 0);
        }

        // The server counts 3,900 tokens of someone else's besides the first request: more than all ours (3,100), so the
        // three later reservations are assumed still on their way and added.
        _quota.Learn(new QuotaObservation(new GroqRateLimitHeaders(null, null, null, 6_000, 2_000, null), answered.Id), 0);

        Assert.Equal(7_000, _quota.Snapshot(0).TokensPerMinute.Used);
    }

    [Fact]
    public void Learn_BodyWithoutUsed_LearnsTheLimitOnly()
    {
        _quota.Learn(new QuotaObservation(null, 0, GroqLimitKind.TokensPerDay, 200_000), 0);

        QuotaSnapshot snapshot = _quota.Snapshot(0);
        Assert.Equal(new QuotaLevel(200_000, 0), snapshot.TokensPerDay);
        Assert.Equal(200_000, _quota.LearntLimits.TokensPerDay);
    }

    [Fact]
    public void TryReserve_TokensPerDaySmallerThanPerMinute_NeverFitsNamesTokensPerDay()
    {
        QuotaDecision decision = _quota.TryReserve(QuotaRequest.Exact(4_000, new ModelLimits(null, null, 70_000, 3_600)), 0);

        Assert.Equal(QuotaDecisionKind.NeverFits, decision.Kind);
        Assert.Equal(GroqLimitKind.TokensPerDay, decision.Limit);
        Assert.Equal(3_600, decision.LimitValue);
    }

    [Fact]
    public void TicksUntilFits_MatchesTheWaitOfTheDecision()
    {
        _quota.TryReserve(QuotaRequest.Exact(6_000, s_limits), 0);

        long wait = TimeSpan.FromSeconds(10).Ticks + QuotaBucket.GuardTicks;
        Assert.Equal(wait, _quota.TicksUntilFits(QuotaRequest.Exact(1_000, s_limits), 0));
        Assert.Equal(long.MaxValue, _quota.TicksUntilFits(QuotaRequest.Exact(7_000, s_limits), 0));
        Assert.Equal(0, _quota.TicksUntilFits(QuotaRequest.Exact(1_000, s_limits), wait));
    }

    [Fact]
    public void TryReserve_InvalidRequest_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _quota.TryReserve(new QuotaRequest(10, 20, s_limits), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _quota.TryReserve(new QuotaRequest(-1, -1, s_limits), 0));
    }
}
