using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SkGroq.Caching.Stores;

namespace SkGroq.Tests.Caching;

/// <summary>The distributed store against <see cref="MemoryDistributedCache"/>; Redis plugs in behind the same <see cref="IDistributedCache"/>.</summary>
public sealed class DistributedResponseCacheStoreTests : ResponseCacheStoreContractTests
{
    private readonly MemoryDistributedCache _cache;

    public DistributedResponseCacheStoreTests()
    {
        _cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new TimeProviderClock(Time) }));
    }

    [Fact]
    public async Task SetAsync_Entry_UnderThePrefixedKeyWithTheSameExpiry()
    {
        IResponseCacheStore store = CreateStore();

        await store.SetAsync("abc", Json(Start), Start.AddMinutes(5), TestContext.Current.CancellationToken);

        Assert.NotNull(await _cache.GetAsync("skgroq:cache:0:abc", TestContext.Current.CancellationToken));
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await _cache.GetAsync("skgroq:cache:0:abc", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ClearAsync_OnOneInstance_OthersSeeItAfterTheirRefresh()
    {
        IResponseCacheStore first = CreateStore();
        IResponseCacheStore second = CreateStore();
        await first.SetAsync("k", Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);
        Assert.NotNull(await second.GetAsync("k", TestContext.Current.CancellationToken));

        await first.ClearAsync(TestContext.Current.CancellationToken);

        Assert.Null(await first.GetAsync("k", TestContext.Current.CancellationToken));
        Assert.NotNull(await second.GetAsync("k", TestContext.Current.CancellationToken));
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(await second.GetAsync("k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetAsync_UnreadableValue_NoEntry()
    {
        IResponseCacheStore store = CreateStore();
        await _cache.SetAsync("skgroq:cache:0:k", Encoding.UTF8.GetBytes("garbage"), TestContext.Current.CancellationToken);

        Assert.Null(await store.GetAsync("k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void GetSize_SharedStore_Unknown()
    {
        Assert.Null(CreateStore().GetSize());
    }

    private protected override IResponseCacheStore CreateStore()
        => new DistributedResponseCacheStore(_cache, "skgroq:cache:", Time, TimeSpan.FromSeconds(5));
}
