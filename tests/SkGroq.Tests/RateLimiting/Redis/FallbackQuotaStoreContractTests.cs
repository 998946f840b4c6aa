using Microsoft.Extensions.Time.Testing;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using SkGroq.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>The quota store contract for the store registered with Redis, while the shared store is reachable.</summary>
public sealed class FallbackQuotaStoreContractTests : QuotaStoreContractTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FallbackQuotaStoreContractTests() => Fallback = new FallbackQuotaStore(new FakeSharedQuotaStore(_time), new RedisOptions { ConnectionString = "fake:6379" }, _time);

    private protected override IQuotaStore Store => Fallback;

    private FallbackQuotaStore Fallback { get; }

    protected override void Advance(TimeSpan by) => _time.Advance(by);
}
