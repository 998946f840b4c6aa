using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>The fallback policy while the shared store is unreachable, and the way back: with a fake shared store and a fake clock.</summary>
public sealed class FallbackQuotaStoreTests
{
    private static readonly QuotaKey s_key = new("org_test", "llama-3.1-8b-instant");
    private static readonly ModelLimits s_free = new(30, 14_400, 6_000, 500_000);
    private static readonly TimeSpan s_guard = TimeSpan.FromTicks(QuotaBucket.GuardTicks);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<FallbackQuotaStore> _logger = new();
    private readonly FakeSharedQuotaStore _shared;

    public FallbackQuotaStoreTests() => _shared = new FakeSharedQuotaStore(_time);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TryReserve_SharedStoreReachable_AdmitsInTheSharedStore()
    {
        FallbackQuotaStore store = Create();

        Assert.True((await store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000, s_free), Ct)).IsAdmitted);

        Assert.Equal(FallbackMode.Shared, store.Mode);
        Assert.Equal(1_000, (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task TryReserve_SharedStoreDown_AdmitsTheInstancesShareOfEachLimit_AndWarnsOnce()
    {
        FallbackQuotaStore store = Create(instances: 3);
        _shared.Down = true;

        for (int i = 0; i < 10; i++)
        {
            Assert.True((await store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct)).IsAdmitted);
        }

        // 30 RPM across 3 instances: 10 per minute here, one every 6 s (plus the guard of a refilled bucket, see QuotaBucket).
        QuotaDecision refused = await store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, refused.Limit);
        Assert.Equal(10, refused.LimitValue);
        Assert.Equal(TimeSpan.FromSeconds(6) + s_guard, refused.RetryAfter);
        Assert.Equal(FallbackMode.Local, store.Mode);
        Assert.Equal(1, store.Outages);
        FakeLogRecord warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("1/3 of each limit", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Groq:Redis:FallbackPolicy = LocalShare", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Redis at fake:6379", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryReserve_SharedStoreDown_StartsFromTheSharedUsageLastSeen()
    {
        FallbackQuotaStore store = Create(instances: 2);
        await store.TryReserveAsync(s_key, QuotaRequest.Exact(4_500, s_free), Ct);
        _shared.Down = true;

        // The share is 3,000 TPM and already holds half of the 4,500 used: 750 are left. That usage is a refilling server's
        // level, not an exact one, so taking the last of it keeps the guard (QuotaBucket): 750 fit one guard later.
        QuotaDecision tooMuch = await store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000, s_free), Ct);
        QuotaDecision atTheBoundary = await store.TryReserveAsync(s_key, QuotaRequest.Exact(750, s_free), Ct);
        _time.Advance(s_guard);
        QuotaDecision fits = await store.TryReserveAsync(s_key, QuotaRequest.Exact(750, s_free), Ct);

        Assert.Equal(GroqLimitKind.TokensPerMinute, tooMuch.Limit);
        Assert.Equal(3_000, tooMuch.LimitValue);
        Assert.Equal(s_guard, atTheBoundary.RetryAfter);
        Assert.True(fits.IsAdmitted);
    }

    [Fact]
    public async Task TryReserve_AboveTheShareButWithinTheLimit_IsAdmittedWhenTheShareIsEmpty_NotRefused()
    {
        FallbackQuotaStore store = Create(instances: 4);
        _shared.Down = true;

        QuotaDecision large = await store.TryReserveAsync(s_key, QuotaRequest.Exact(2_000, s_free), Ct);
        QuotaDecision never = await store.TryReserveAsync(s_key, QuotaRequest.Exact(6_001, s_free), Ct);

        Assert.True(large.IsAdmitted);
        Assert.Equal(1_500, large.Reservation.Tokens);
        Assert.Equal(QuotaDecisionKind.NeverFits, never.Kind);
        Assert.Equal(6_000, never.LimitValue);
    }

    [Fact]
    public async Task Learn_SharedStoreDown_ScalesGroqsFiguresToTheShare()
    {
        FallbackQuotaStore store = Create(instances: 4);
        _shared.Down = true;
        QuotaDecision admitted = await store.TryReserveAsync(s_key, QuotaRequest.Exact(100, ModelLimits.None), Ct);

        await store.LearnAsync(s_key, new QuotaObservation(new GroqRateLimitHeaders(1_000, 600, null, 8_000, 4_000, null), admitted.Reservation.Id), Ct);

        QuotaSnapshot snapshot = await store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(new QuotaLevel(250, 100), snapshot.RequestsPerDay);
        Assert.Equal(new QuotaLevel(2_000, 1_000), snapshot.TokensPerMinute);
    }

    [Fact]
    public async Task Settle_SharedReservationDuringTheOutage_IsReplayedWhenTheStoreIsBack()
    {
        FallbackQuotaStore store = Create();
        QuotaDecision shared = await store.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);
        _shared.Down = true;

        Assert.True(await store.SettleAsync(shared.Reservation, 1_000, Ct));
        Assert.False(await store.SettleAsync(shared.Reservation, 1_000, Ct));
        Assert.Equal(5_000, (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used);

        _shared.Down = false;
        await store.GetSnapshotAsync(s_key, Ct);

        // Merged (the share held the 5,000 seen) and then refunded by the replayed settlement.
        Assert.Equal(FallbackMode.Rejoining, store.Mode);
        Assert.Equal(1_000, (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used);
        Assert.Equal(0, (await _shared.PeekStateAsync(s_key)).InFlightRequests);
    }

    [Fact]
    public async Task Rejoin_MergesTheLocalUsageTimesTheInstanceCount_AndLogs()
    {
        FallbackQuotaStore store = Create(instances: 2);
        await store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct);
        _shared.Down = true;

        // The share (3,000 TPM) starts from half the shared usage, 5 tokens: a refilling server's level, so the guard's refill
        // (QuotaBucket), at most the 5 tokens used, is kept in hand and the rest is what fits.
        long fits = 3_000 - 5 - Math.Min(5, (long)Math.Ceiling(3_000.0 * QuotaBucket.GuardTicks / QuotaBucket.MinuteTicks));
        Assert.False((await store.TryReserveAsync(s_key, QuotaRequest.Exact(fits + 1, s_free), Ct)).IsAdmitted);
        Assert.True((await store.TryReserveAsync(s_key, QuotaRequest.Exact(fits, s_free), Ct)).IsAdmitted);

        _shared.Down = false;
        await store.PeekAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);

        (QuotaKey key, QuotaFigures used, QuotaFigures limits) = Assert.Single(_shared.Absorbed);
        Assert.Equal(s_key, key);
        Assert.Equal(new QuotaFigures(4, 4, (5 + fits) * 2, (5 + fits) * 2), used);
        Assert.Equal(new QuotaFigures(30, 14_400, 6_000, 500_000), limits);
        Assert.Equal((5 + fits) * 2, (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used);
        Assert.Equal(1, store.Rejoins);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Information && r.Message.Contains("reachable again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejoining_AnAdmissionNeedsTheShareToo_UntilTheRejoinPeriodEnds()
    {
        FallbackQuotaStore store = Create(instances: 2, rejoinPeriod: TimeSpan.FromSeconds(10));
        var limits = new ModelLimits(30, null, null, null);
        await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct);
        _shared.Down = true;
        for (int i = 0; i < 4; i++)
        {
            Assert.True((await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct)).IsAdmitted);
        }

        _shared.Down = false;

        // Both the share (seeded from the shared usage) and the shared quota (raised by the merge) hold refilling levels:
        // filling the share to its last request keeps the guard (QuotaBucket).
        _time.Advance(s_guard);
        List<QuotaDecision> admitted = [];
        for (int i = 0; i < 10; i++)
        {
            admitted.Add(await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct));
        }

        // The share (15 RPM) held 1/2 + 4 requests: 10 more fit there; the shared quota (30, raised to 10 by the merge) holds 20.
        Assert.All(admitted, d => Assert.True(d.IsAdmitted));
        QuotaDecision refused = await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct);
        Assert.Equal(15, refused.LimitValue);
        Assert.Equal(FallbackMode.Rejoining, store.Mode);
        Assert.Equal(20, (await _shared.PeekStateAsync(s_key)).RequestsPerMinute.Used);

        // A dual reservation is settled in both.
        Assert.True(await store.ReleaseAsync(admitted[0].Reservation, Ct));
        Assert.Equal(19, (await _shared.PeekStateAsync(s_key)).RequestsPerMinute.Used);

        _time.Advance(TimeSpan.FromSeconds(10));
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, limits), Ct)).IsAdmitted);
        }

        Assert.Equal(FallbackMode.Shared, store.Mode);
    }

    [Fact]
    public async Task Settle_LocalReservation_AfterRejoining_IsSettledInItsShare()
    {
        FallbackQuotaStore store = Create(rejoinPeriod: TimeSpan.Zero);
        _shared.Down = true;
        QuotaDecision local = await store.TryReserveAsync(s_key, QuotaRequest.Exact(2_000, s_free), Ct);
        Assert.True(local.Reservation.Id < 0);
        _shared.Down = false;
        await store.PeekAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        Assert.Equal(FallbackMode.Shared, store.Mode);
        long sharedBefore = (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used;

        Assert.True(await store.SettleAsync(local.Reservation, 500, Ct));
        Assert.False(await store.SettleAsync(local.Reservation, 500, Ct));

        var handle = (LocalQuotaHandle)local.Reservation.Handle!;
        Assert.Equal((2_000L, 2_000L, 0L, 0L), handle.Share.Store.GetBalance(s_key));
        Assert.Equal(sharedBefore, (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task Outage_WhileRejoining_KeepsTheShareAndItsUsage()
    {
        FallbackQuotaStore store = Create(instances: 2);
        _shared.Down = true;
        await store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000, s_free), Ct);
        _shared.Down = false;
        await store.PeekAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        Assert.Equal(FallbackMode.Rejoining, store.Mode);

        _shared.Down = true;
        QuotaDecision admitted = await store.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);

        // The share admitted it, the shared store failed: the local admission stands, in the same share.
        Assert.True(admitted.IsAdmitted);
        Assert.True(admitted.Reservation.Id < 0);
        Assert.Equal(FallbackMode.Local, store.Mode);
        Assert.Equal(2, store.Outages);
        Assert.Equal(1_100, (await store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task FailClosed_SharedStoreDown_FailsWithAConnectionErrorThatNamesRedisAndTheFix()
    {
        FallbackQuotaStore store = Create(policy: RedisFallbackPolicy.FailClosed);
        QuotaDecision before = await store.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);
        _shared.Down = true;

        GroqConnectionException error = await Assert.ThrowsAsync<GroqConnectionException>(async () => await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct));
        Assert.Contains("Redis at fake:6379", error.Message, StringComparison.Ordinal);
        Assert.Contains("FailClosed", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalShare", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsTransient);

        // Settling never fails: it waits for Redis. Learning and pausing are dropped meanwhile.
        Assert.True(await store.SettleAsync(before.Reservation, 1_000, Ct));
        Assert.False(await store.LearnAsync(s_key, new QuotaObservation(null, 1), Ct));
        await store.PauseAsync(s_key, TimeSpan.FromSeconds(1), GroqLimitKind.RequestsPerMinute, Ct);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("FailClosed", StringComparison.Ordinal));

        _shared.Down = false;
        Assert.True((await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct)).IsAdmitted);
        Assert.Equal(FallbackMode.Shared, store.Mode);
        Assert.Equal(1_001, (await _shared.PeekStateAsync(s_key)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task TryReserve_SharedStoreFailsWithABug_TheErrorIsNotHidden()
    {
        FallbackQuotaStore store = Create();
        _shared.Failure = new InvalidOperationException("ERR Error running script");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct));

        Assert.Equal(FallbackMode.Shared, store.Mode);
        Assert.Equal(0, store.Outages);
    }

    private FallbackQuotaStore Create(int instances = 1, RedisFallbackPolicy policy = RedisFallbackPolicy.LocalShare, TimeSpan? rejoinPeriod = null)
        => new(
            _shared,
            new RedisOptions { ConnectionString = "fake:6379", InstanceCount = instances, FallbackPolicy = policy, RejoinPeriod = rejoinPeriod ?? RedisDefaults.RejoinPeriod },
            _time,
            _logger);
}
