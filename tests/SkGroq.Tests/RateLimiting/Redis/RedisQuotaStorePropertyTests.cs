using CsCheck;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>
/// The Lua arithmetic against <see cref="ModelQuota"/>'s: random sequences of reserve, peek, settle, release, learn, pause and
/// time run on both stores with one fake clock, and every answer must be identical — ids, limits, snapshots, and waits up to
/// the resolution of Redis TIME (the in-memory wait rounded up to the microsecond).
/// Limits go up to 10^11 and time jumps up to days, so the scripts' 53-bit-safe path is exercised.
/// </summary>
public sealed class RedisQuotaStorePropertyTests
{
    private static readonly Gen<ModelLimits> s_limits =
        Gen.Select(
            Gen.OneOf(Gen.Long[1, 60], Gen.Long[1, 1_000_000]).Nullable(),
            Gen.OneOf(Gen.Long[1, 2_000], Gen.Long[1, 100_000_000]).Nullable(),
            Gen.OneOf(Gen.Long[1, 20_000], Gen.Long[1, 1_000_000_000]).Nullable(),
            Gen.OneOf(Gen.Long[1, 200_000], Gen.Long[1, 100_000_000_000]).Nullable(),
            (rpm, rpd, tpm, tpd) => new ModelLimits(rpm, rpd, tpm, tpd));

    private static readonly Gen<Op> s_op =
        Gen.Select(Gen.Int[0, 13], Gen.OneOf(Gen.Long[0, 30_000], Gen.Long[0, 2_000_000_000]), Gen.Int[0, 1_000], Gen.OneOf(Gen.Long[0, 120_000_000], Gen.Long[0, 3 * 86_400_000_000]), (kind, amount, pick, micros) => new Op(kind, amount, pick, micros));

    private static readonly TimeSpan s_longestWait = TimeSpan.FromMicroseconds(9_007_199_254_740_992);

    [Fact]
    public async Task AnySequence_AnswersExactlyAsTheInMemoryStore()
    {
        await RedisTestServer.RequireAsync();
        RedisOptions options = RedisTestServer.Options();

        // The in-memory store never drops an unsettled reservation; Redis drops one after this long (tested on its own).
        options.ReservationLifetime = TimeSpan.FromDays(3_650);
        try
        {
            await Gen.Select(s_limits, s_op.Array[1, 60]).SampleAsync((limits, ops) => RunAsync(options, limits, ops), iter: 300, threads: 2);
        }
        finally
        {
            await RedisTestServer.DeleteKeysAsync(options.KeyPrefix);
        }
    }

    [Fact]
    public async Task RequestsCloseToTheWholeLimit_AnswerExactlyAsTheInMemoryStore()
    {
        // The guard's corners, rare in the sequences above: amounts within a few units of a large token limit (where the guard
        // is more than half the room left and the admissible debt is room / 2), levels just below the boundary, and time in
        // steps around the guard's millisecond.
        await RedisTestServer.RequireAsync();
        RedisOptions options = RedisTestServer.Options();
        options.ReservationLifetime = TimeSpan.FromDays(3_650);
        Gen<ModelLimits> limits = Gen.Select(Gen.Long[1, 3].Nullable(), Gen.Long[30_000, 1_000_000_000], Gen.Long[43_200_000, 100_000_000_000], (rpm, tpm, tpd) => new ModelLimits(rpm, null, tpm, tpd));
        Gen<(ModelLimits Limits, Op[] Ops)> sequences = limits.SelectMany(l =>
        {
            long tpm = l.TokensPerMinute!.Value;
            long tpd = l.TokensPerDay!.Value;
            Gen<long> amount = Gen.OneOf(Gen.Long[0, 3], Gen.Long[0, 3 + (tpm / 30_000)].Select(d => tpm - d), Gen.Long[0, 3 + (tpd / 43_200_000)].Select(d => tpd - d), Gen.Long[0, tpm]);
            Gen<Op> op = Gen.Select(Gen.Int[0, 13], amount, Gen.Int[0, 1_000], Gen.OneOf(Gen.Long[0, 3_000], Gen.Long[0, 120_000_000]), (kind, a, pick, micros) => new Op(kind, a, pick, micros));
            return op.Array[1, 60].Select(ops => (l, ops));
        });
        try
        {
            await sequences.SampleAsync(sequence => RunAsync(options, sequence.Limits, sequence.Ops), iter: 300, threads: 2);
        }
        finally
        {
            await RedisTestServer.DeleteKeysAsync(options.KeyPrefix);
        }
    }

    private static async Task RunAsync(RedisOptions options, ModelLimits limits, Op[] ops)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var memory = new InMemoryQuotaStore(time);
        var redis = new RedisQuotaStore(RedisTestServer.Connection, options, clock: () => RedisClock.Micros(time));
        var key = new QuotaKey("org_property", Guid.NewGuid().ToString("N"));
        var held = new List<(QuotaReservation Memory, QuotaReservation Redis)>();
        CancellationToken ct = TestContext.Current.CancellationToken;
        foreach (Op op in ops)
        {
            switch (op.Kind)
            {
                case <= 3:
                    var request = new QuotaRequest(op.Amount, op.Amount / (1 + (op.Pick % 3)), limits);
                    bool peek = op.Kind == 3;
                    QuotaDecision expected = peek ? await memory.PeekAsync(key, request, ct) : await memory.TryReserveAsync(key, request, ct);
                    QuotaDecision actual = peek ? await redis.PeekAsync(key, request, ct) : await redis.TryReserveAsync(key, request, ct);
                    AssertSame(expected, actual);
                    if (expected.IsAdmitted && !peek)
                    {
                        held.Add((expected.Reservation, actual.Reservation));
                    }

                    break;
                case 4 or 5 when held.Count > 0:
                    (QuotaReservation m, QuotaReservation r) = Take(held, op.Pick);
                    long used = op.Amount % (2 * m.Tokens + 1);
                    Assert.Equal(await memory.SettleAsync(m, used, ct), await redis.SettleAsync(r, used, ct));
                    break;
                case 6 when held.Count > 0:
                    (m, r) = Take(held, op.Pick);
                    Assert.Equal(await memory.ReleaseAsync(m, ct), await redis.ReleaseAsync(r, ct));
                    break;
                case 7:
                    var headers = new GroqRateLimitHeaders(
                        Maybe(op.Pick, 1, 1 + (op.Amount % 100_000)),
                        Maybe(op.Pick, 2, op.Amount % 50_000),
                        Maybe(op.Pick, 3, TimeSpan.FromTicks(op.Micros * 7)),
                        Maybe(op.Pick, 4, 1 + (op.Amount % 1_000_000)),
                        Maybe(op.Pick, 5, op.Amount % 500_000),
                        Maybe(op.Pick, 6, TimeSpan.FromTicks(op.Micros / 3)));
                    long answered = held.Count > 0 ? held[op.Pick % held.Count].Memory.Id : op.Pick;
                    Assert.Equal(
                        await memory.LearnAsync(key, new QuotaObservation(headers, answered), ct),
                        await redis.LearnAsync(key, new QuotaObservation(headers, answered), ct));
                    break;
                case 8:
                    var kind = (GroqLimitKind)(1 + (op.Pick % 4));
                    var observation = new QuotaObservation(null, op.Pick % 7, kind, Maybe(op.Pick, 1, 1 + (op.Amount % 100_000)), Maybe(op.Pick, 2, op.Amount % 120_000));
                    Assert.Equal(await memory.LearnAsync(key, observation, ct), await redis.LearnAsync(key, observation, ct));
                    break;
                case 9:
                    TimeSpan pause = TimeSpan.FromMicroseconds(op.Micros % 600_000_000);
                    var named = (GroqLimitKind)(op.Pick % 6);
                    await memory.PauseAsync(key, pause, named, ct);
                    await redis.PauseAsync(key, pause, named, ct);
                    break;
                case 10:
                    Assert.Equal(await memory.GetSnapshotAsync(key, ct), await redis.GetSnapshotAsync(key, ct));
                    break;
                default:
                    time.Advance(TimeSpan.FromMicroseconds(op.Kind == 13 ? op.Micros : op.Micros % 5_000_000));
                    break;
            }
        }

        Assert.Equal(await memory.GetSnapshotAsync(key, ct), await redis.GetSnapshotAsync(key, ct));
    }

    private static void AssertSame(QuotaDecision expected, QuotaDecision actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Limit, actual.Limit);
        Assert.Equal(expected.LimitValue, actual.LimitValue);
        Assert.Equal(expected.Requested, actual.Requested);

        // Redis counts in microseconds (TIME's unit): with time steps in whole microseconds every debt is the in-memory one
        // divided by 10, so its wait is the tick-exact wait rounded up to the microsecond (ceil(ceil(10x/L)/10) = ceil(x/L)).
        // Waits from 2^53 microseconds (285 years) on are reported as that.
        Assert.Equal(expected.Kind == QuotaDecisionKind.NeverFits ? expected.RetryAfter : TimeSpan.FromTicks(Math.Min(RoundUpToMicroseconds(expected.RetryAfter).Ticks, s_longestWait.Ticks)), actual.RetryAfter);
        Assert.Equal(expected.Reservation.Id, actual.Reservation.Id);
        Assert.Equal(expected.Reservation.Tokens, actual.Reservation.Tokens);
    }

    private static TimeSpan RoundUpToMicroseconds(TimeSpan value)
        => value.Ticks > TimeSpan.MaxValue.Ticks - TimeSpan.TicksPerMicrosecond ? TimeSpan.MaxValue : TimeSpan.FromTicks((value.Ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond * TimeSpan.TicksPerMicrosecond);

    private static T? Maybe<T>(int pick, int bit, T value)
        where T : struct
        => (pick & (1 << bit)) != 0 ? value : null;

    private static (QuotaReservation, QuotaReservation) Take(List<(QuotaReservation, QuotaReservation)> held, int pick)
    {
        int index = pick % held.Count;
        (QuotaReservation, QuotaReservation) taken = held[index];
        held.RemoveAt(index);
        return taken;
    }

    private readonly record struct Op(int Kind, long Amount, int Pick, long Micros);
}
