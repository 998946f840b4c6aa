using System.Numerics;
using CsCheck;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>Property tests of the bucket arithmetic over random sequences of reserve, settle, release, pause and time.</summary>
public sealed class ModelQuotaPropertyTests
{
    private static readonly Gen<ModelLimits> s_limits =
        Gen.Select(
            Gen.Long[1, 60].Nullable(),
            Gen.Long[1, 500].Nullable(),
            Gen.Long[1, 20_000].Nullable(),
            Gen.Long[1, 100_000].Nullable(),
            (rpm, rpd, tpm, tpd) => new ModelLimits(rpm, rpd, tpm, tpd));

    private static readonly Gen<Op> s_op =
        Gen.Select(Gen.Int[0, 9], Gen.Long[0, 25_000], Gen.Int[0, 1_000], Gen.Long[0, 2 * TimeSpan.TicksPerMinute], (kind, amount, pick, ticks) => new Op(kind, amount, pick, ticks));

    [Fact]
    public void Reserve_NeverAdmitsBeyondALimit_AndEveryWaitIsExact()
    {
        Gen.Select(s_limits, s_op.Array[1, 150]).Sample((limits, ops) =>
        {
            var quota = new ModelQuota(new QuotaKey("org", "m"));
            var held = new List<QuotaReservation>();
            long now = 0;
            foreach (Op op in ops)
            {
                switch (op.Kind)
                {
                    case <= 3:
                        var request = new QuotaRequest(op.Amount, op.Amount / (1 + (op.Pick % 3)), limits);
                        QuotaDecision decision = quota.TryReserve(request, now);
                        if (decision.IsAdmitted)
                        {
                            held.Add(decision.Reservation);
                            AssertWithinLimits(quota.Snapshot(now));
                        }
                        else if (decision.Kind == QuotaDecisionKind.MustWait)
                        {
                            // Not a tick early, and admitted exactly when promised.
                            long at = now + decision.RetryAfter.Ticks;
                            Assert.False(quota.Peek(request, at - 1).IsAdmitted);
                            Assert.True(quota.Peek(request, at).IsAdmitted);
                            now = at;
                        }
                        else
                        {
                            Assert.True(request.MinimumTokens > Math.Min(limits.TokensPerMinute ?? long.MaxValue, limits.TokensPerDay ?? long.MaxValue));
                        }

                        break;
                    case 4 or 5 when held.Count > 0:
                        QuotaReservation settled = Take(held, op.Pick);
                        quota.Settle(settled, Math.Min(op.Amount, settled.Tokens), now);
                        break;
                    case 6 when held.Count > 0:
                        quota.Release(Take(held, op.Pick), now);
                        break;
                    case 7:
                        quota.Pause(TimeSpan.FromTicks(op.Ticks / 10), SkGroq.Errors.GroqLimitKind.TokensPerMinute, now);
                        break;
                    default:
                        now += op.Ticks;
                        break;
                }
            }
        });
    }

    [Fact]
    public void Reserve_OverAnyInterval_AdmitsAtMostTheLimitPlusWhatRefilled()
    {
        // The classic token-bucket envelope, checked independently of the implementation's arithmetic:
        // tokens admitted in any interval of length τ ≤ L + τ × L / W (here without refunds).
        Gen.Select(Gen.Long[1, 10_000], Gen.Select(Gen.Long[1, 12_000], Gen.Long[0, 20 * TimeSpan.TicksPerSecond]).Array[1, 120]).Sample((limit, steps) =>
        {
            var quota = new ModelQuota(new QuotaKey("org", "m"));
            var limits = new ModelLimits(null, null, limit, null);
            var admitted = new List<(long At, long Tokens)>();
            long now = 0;
            foreach ((long tokens, long ticks) in steps)
            {
                now += ticks;
                QuotaDecision decision = quota.TryReserve(QuotaRequest.Exact(tokens, limits), now);
                if (decision.IsAdmitted)
                {
                    admitted.Add((now, tokens));
                }
            }

            for (int i = 0; i < admitted.Count; i++)
            {
                BigInteger sum = 0;
                for (int j = i; j < admitted.Count; j++)
                {
                    sum += admitted[j].Tokens;
                    BigInteger allowed = (limit * (BigInteger)QuotaBucket.MinuteTicks) + ((admitted[j].At - admitted[i].At) * (BigInteger)limit);
                    Assert.True(sum * QuotaBucket.MinuteTicks <= allowed, $"{sum} tokens admitted between {admitted[i].At} and {admitted[j].At} with limit {limit}");
                }
            }
        });
    }

    [Fact]
    public void SettleAndRelease_NeverLoseAReservation()
    {
        Gen.Select(s_limits, s_op.Array[1, 200]).Sample((limits, ops) =>
        {
            var quota = new ModelQuota(new QuotaKey("org", "m"));
            var held = new List<QuotaReservation>();
            var finished = new List<QuotaReservation>();
            long now = 0;
            foreach (Op op in ops)
            {
                switch (op.Kind)
                {
                    case <= 3:
                        QuotaDecision decision = quota.TryReserve(new QuotaRequest(op.Amount, op.Amount / 2, limits), now);
                        if (decision.IsAdmitted)
                        {
                            held.Add(decision.Reservation);
                        }

                        break;
                    case 4 when held.Count > 0:
                        QuotaReservation settled = Take(held, op.Pick);
                        Assert.True(quota.Settle(settled, op.Amount, now));
                        finished.Add(settled);
                        break;
                    case 5 when held.Count > 0:
                        QuotaReservation released = Take(held, op.Pick);
                        Assert.True(quota.Release(released, now));
                        finished.Add(released);
                        break;
                    case 6 when finished.Count > 0:
                        // A second settle or release of a finished reservation changes nothing.
                        QuotaReservation again = finished[op.Pick % finished.Count];
                        Assert.False(op.Amount % 2 == 0 ? quota.Settle(again, op.Amount, now) : quota.Release(again, now));
                        break;
                    default:
                        now += op.Ticks;
                        break;
                }

                Assert.Equal(held.Count, quota.InFlightCount);
                Assert.Equal(held.Sum(r => r.Tokens), quota.InFlightTokens);
                Assert.Equal(quota.InFlightTokens, quota.ReservedTokens - quota.SettledTokens - quota.ReleasedTokens);
            }

            foreach (QuotaReservation reservation in held)
            {
                Assert.True(quota.Settle(reservation, 0, now));
            }

            Assert.Equal(0, quota.InFlightCount);
            Assert.Equal(quota.ReservedTokens, quota.SettledTokens + quota.ReleasedTokens);
        });
    }

    private static void AssertWithinLimits(QuotaSnapshot snapshot)
    {
        foreach (QuotaLevel level in (ReadOnlySpan<QuotaLevel>)[snapshot.RequestsPerMinute, snapshot.RequestsPerDay, snapshot.TokensPerMinute, snapshot.TokensPerDay])
        {
            Assert.True(level.Limit is null || level.Used <= level.Limit, $"used {level.Used} of {level.Limit}");
        }
    }

    private static QuotaReservation Take(List<QuotaReservation> held, int pick)
    {
        int index = pick % held.Count;
        QuotaReservation reservation = held[index];
        held.RemoveAt(index);
        return reservation;
    }

    public sealed record Op(int Kind, long Amount, int Pick, long Ticks);
}
