using Microsoft.Extensions.Time.Testing;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>The quota store contract against a real Redis: the same Lua scripts as production, driven by a fake clock passed in place of <c>TIME</c>.</summary>
public sealed class RedisQuotaStoreContractTests : QuotaStoreContractTests, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RedisOptions _options = RedisTestServer.Options();
    private RedisQuotaStore? _store;

    private protected override IQuotaStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    public async ValueTask InitializeAsync()
    {
        await RedisTestServer.RequireAsync();
        _store = new RedisQuotaStore(RedisTestServer.Connection, _options, clock: () => RedisClock.Micros(_time));
    }

    public async ValueTask DisposeAsync() => await RedisTestServer.DeleteKeysAsync(_options.KeyPrefix);

    protected override void Advance(TimeSpan by) => _time.Advance(by);
}
