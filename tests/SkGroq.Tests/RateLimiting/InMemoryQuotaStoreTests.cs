using Microsoft.Extensions.Time.Testing;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

public sealed class InMemoryQuotaStoreTests : QuotaStoreContractTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InMemoryQuotaStoreTests() => InMemory = new InMemoryQuotaStore(_time);

    private protected override IQuotaStore Store => InMemory;

    private InMemoryQuotaStore InMemory { get; }

    protected override void Advance(TimeSpan by) => _time.Advance(by);

    [Fact]
    public async Task Calls_CompleteSynchronously()
    {
        ValueTask<QuotaDecision> reserve = InMemory.TryReserveAsync(s_key, QuotaRequest.Exact(1, s_free), Ct);
        Assert.True(reserve.IsCompletedSuccessfully);
        QuotaDecision decision = await reserve;
        ValueTask<bool> settle = InMemory.SettleAsync(decision.Reservation, 1, Ct);
        Assert.True(settle.IsCompletedSuccessfully);
        Assert.True(await settle);
    }

    [Fact]
    public async Task Settle_UnknownKey_IsRefused()
        => Assert.False(await InMemory.SettleAsync(new QuotaReservation(s_key with { Model = "never-seen" }, 1, 10), 5, Ct));

    [Fact]
    public async Task Settle_HandleOfAnotherKey_IsRefused()
    {
        QuotaDecision other = await InMemory.TryReserveAsync(s_key with { Model = "openai/gpt-oss-20b" }, QuotaRequest.Exact(10, s_free), Ct);
        await InMemory.TryReserveAsync(s_key, QuotaRequest.Exact(10, s_free), Ct);

        Assert.False(await InMemory.SettleAsync(other.Reservation with { Key = s_key }, 5, Ct));
    }

    [Fact]
    public async Task Balance_ReservedMinusSettledMinusReleased_IsWhatIsInFlight()
    {
        QuotaDecision a = await InMemory.TryReserveAsync(s_key, QuotaRequest.Exact(100, s_free), Ct);
        QuotaDecision b = await InMemory.TryReserveAsync(s_key, QuotaRequest.Exact(200, s_free), Ct);
        await InMemory.TryReserveAsync(s_key, QuotaRequest.Exact(300, s_free), Ct);
        await InMemory.SettleAsync(a.Reservation, 50, Ct);
        await InMemory.ReleaseAsync(b.Reservation, Ct);

        Assert.Equal((600L, 100L, 200L, 300L), InMemory.GetBalance(s_key));
    }
}
