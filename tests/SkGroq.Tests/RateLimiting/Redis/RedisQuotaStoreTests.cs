using Microsoft.Extensions.Time.Testing;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;
using StackExchange.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>What only a shared store does: two instances (separate connections) see one quota, learnt limits and pauses; notifications; the server's clock; keys.</summary>
public sealed class RedisQuotaStoreTests : IAsyncLifetime
{
    private static readonly QuotaKey s_key = new("org_shared", "llama-3.1-8b-instant");
    private static readonly ModelLimits s_free = new(30, 14_400, 6_000, 500_000);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RedisOptions _options = RedisTestServer.Options();
    private readonly List<RedisConnection> _connections = [];
    private IConnectionMultiplexer? _admin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _admin = await RedisTestServer.RequireAsync();

    public async ValueTask DisposeAsync()
    {
        await RedisTestServer.DeleteKeysAsync(_options.KeyPrefix);
        foreach (RedisConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task TryReserve_TwoInstances_ShareOneQuota()
    {
        RedisQuotaStore a = Instance();
        RedisQuotaStore b = Instance();

        Assert.True((await a.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct)).IsAdmitted);
        QuotaDecision refused = await b.TryReserveAsync(s_key, QuotaRequest.Exact(2_000, s_free), Ct);

        Assert.Equal(GroqLimitKind.TokensPerMinute, refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(10) + TimeSpan.FromTicks(QuotaBucket.GuardTicks), refused.RetryAfter); // waits for refill: plus the guard (QuotaBucket)
    }

    [Fact]
    public async Task Settle_ByAnotherInstance_RefundsTheSharedQuota()
    {
        RedisQuotaStore a = Instance();
        RedisQuotaStore b = Instance();
        QuotaDecision admitted = await a.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);

        Assert.True(await b.SettleAsync(admitted.Reservation, 1_000, Ct));

        Assert.False(await a.SettleAsync(admitted.Reservation, 1_000, Ct));
        Assert.Equal(1_000, (await a.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
    }

    [Fact]
    public async Task Learn_LimitsLearntByOneInstance_ApplyToAll()
    {
        RedisQuotaStore a = Instance();
        RedisQuotaStore b = Instance();
        QuotaDecision answered = await a.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);

        await a.LearnAsync(s_key, new QuotaObservation(new GroqRateLimitHeaders(1_000, 990, null, 250_000, 249_000, null), answered.Reservation.Id), Ct);

        QuotaSnapshot seen = await b.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(new QuotaLevel(1_000, 10), seen.RequestsPerDay);
        Assert.Equal(new QuotaLevel(250_000, 1_000), seen.TokensPerMinute);
        Assert.True((await b.TryReserveAsync(s_key, QuotaRequest.Exact(100_000, s_free), Ct)).IsAdmitted);
    }

    [Fact]
    public async Task Pause_ByOneInstance_HoldsBackAll()
    {
        RedisQuotaStore a = Instance();
        RedisQuotaStore b = Instance();

        await a.PauseAsync(s_key, TimeSpan.FromSeconds(2), GroqLimitKind.RequestsPerMinute, Ct);

        QuotaDecision paused = await b.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, paused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(2), paused.RetryAfter);
    }

    [Fact]
    public async Task Release_NotifiesTheOtherInstances_NotItself()
    {
        RedisQuotaStore a = Instance();
        RedisQuotaStore b = Instance();
        var freedAtB = new TaskCompletionSource<QuotaKey>(TaskCreationOptions.RunContinuationsAsynchronously);
        var freedAtA = new List<QuotaKey>();
        using IDisposable atA = a.RegisterFreedCallback(freedAtA.Add);
        using IDisposable atB = b.RegisterFreedCallback(key => freedAtB.TrySetResult(key));
        await b.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        await Task.WhenAll(a.Subscription, b.Subscription);

        QuotaDecision admitted = await a.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);
        await a.ReleaseAsync(admitted.Reservation, Ct);

        Assert.Equal(s_key, await freedAtB.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Empty(freedAtA);
    }

    [Fact]
    public async Task Settle_WithARefund_NotifiesTheOtherInstances()
    {
        RedisQuotaStore a = Instance();
        RedisQuotaStore b = Instance();
        var freed = new TaskCompletionSource<QuotaKey>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable registration = b.RegisterFreedCallback(key => freed.TrySetResult(key));
        await b.PeekAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        await b.Subscription;

        QuotaDecision admitted = await a.TryReserveAsync(s_key, QuotaRequest.Exact(5_000, s_free), Ct);
        await a.SettleAsync(admitted.Reservation, 4_000, Ct);

        Assert.Equal(s_key, await freed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task TryReserve_WithoutAClockOverride_UsesTheServersClock()
    {
        RedisQuotaStore store = Instance(serverClock: true);
        int admitted = 0;
        QuotaDecision refused;
        while ((refused = await store.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct)).IsAdmitted && admitted < 31)
        {
            admitted++;
        }

        // The server's clock moves between the reservations, so the bucket refills a little: the last request of the minute may
        // wait for the guard (QuotaBucket); the next waits about 2 s on the server's clock, plus the guard.
        Assert.InRange(admitted, 29, 30);
        Assert.Equal(GroqLimitKind.RequestsPerMinute, refused.Limit);
        Assert.InRange(refused.RetryAfter, TimeSpan.Zero, TimeSpan.FromSeconds(2) + TimeSpan.FromTicks(QuotaBucket.GuardTicks));
        RedisResult[] time = (RedisResult[])(await _admin!.GetDatabase().ExecuteAsync("TIME"))!;
        long serverMicros = ((long)time[0] * 1_000_000) + (long)time[1];
        long updated = (long)await _admin.GetDatabase().HashGetAsync(store.GetRedisKeys(s_key)[0], "t");
        Assert.InRange(serverMicros - updated, 0, 10_000_000);
    }

    [Fact]
    public async Task Keys_AreHashTaggedPerOrganizationAndModel_AndExpire()
    {
        RedisQuotaStore store = Instance();
        await store.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct);

        RedisKey[] keys = store.GetRedisKeys(s_key);
        Assert.Equal($"{_options.KeyPrefix}:quota:{{org_shared:llama-3.1-8b-instant}}", (string?)keys[0]);
        Assert.Equal($"{_options.KeyPrefix}:quota:{{org_shared:llama-3.1-8b-instant}}:inflight", (string?)keys[1]);
        foreach (RedisKey key in keys)
        {
            TimeSpan? ttl = await _admin!.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromDays(1.9), RedisQuotaStore.KeyExpiry);
        }

        RedisKey[] odd = store.GetRedisKeys(new QuotaKey("org}{%", "m"));
        Assert.Equal($"{_options.KeyPrefix}:quota:{{org%7D%7B%25:m}}", (string?)odd[0]);
    }

    [Fact]
    public async Task TryReserve_ReservationNeverSettled_IsDroppedAfterItsLifetime_ItsTokensStayCounted()
    {
        _options.ReservationLifetime = TimeSpan.FromMinutes(5);
        RedisQuotaStore store = Instance();
        QuotaDecision abandoned = await store.TryReserveAsync(s_key, QuotaRequest.Exact(1_000, new ModelLimits(null, null, null, 100_000)), Ct);

        _time.Advance(TimeSpan.FromMinutes(5));
        await store.TryReserveAsync(s_key, QuotaRequest.Exact(10, new ModelLimits(null, null, null, 100_000)), Ct);

        Assert.Equal((1_010L, 0L, 0L, 10L, 1_000L), await store.GetBalanceAsync(s_key, Ct));
        QuotaSnapshot snapshot = await store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal((1, 10L), (snapshot.InFlightRequests, snapshot.InFlightTokens));

        // 1,000 + 10 counted, minus 5 minutes of refill at 100,000 a day (347.2): the dropped reservation was not refunded.
        Assert.Equal(663, snapshot.TokensPerDay.Used);
        Assert.False(await store.SettleAsync(abandoned.Reservation, 0, Ct));
    }

    [Fact]
    public async Task Settle_ReservationOfAnotherStore_IsRefused()
    {
        RedisQuotaStore store = Instance();
        var memory = new InMemoryQuotaStore(_time);
        QuotaDecision foreign = await memory.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct);

        Assert.False(await store.SettleAsync(foreign.Reservation, 5, Ct));
        Assert.False(await store.ReleaseAsync(new QuotaReservation(s_key, 0, 10), Ct));
    }

    [Fact]
    public async Task IsUnavailable_TellsOutagesFromBugs()
    {
        RedisQuotaStore store = Instance();

        Assert.True(store.IsUnavailable(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down")));
        Assert.True(store.IsUnavailable(new RedisTimeoutException("slow", CommandStatus.Sent)));
        Assert.True(store.IsUnavailable(new RedisServerException("LOADING Redis is loading the dataset in memory")));
        Assert.False(store.IsUnavailable(new RedisServerException("ERR Error running script")));
        Assert.False(store.IsUnavailable(new InvalidOperationException()));
    }

    private RedisQuotaStore Instance(bool serverClock = false)
    {
        // Each instance has its own connection, as two processes would.
        var connection = new RedisConnection(_options);
        _connections.Add(connection);
        return new RedisQuotaStore(connection, _options, clock: serverClock ? null : () => RedisClock.Micros(_time));
    }
}
