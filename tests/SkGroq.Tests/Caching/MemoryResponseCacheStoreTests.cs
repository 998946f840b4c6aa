using SkGroq.Caching.Stores;

namespace SkGroq.Tests.Caching;

public sealed class MemoryResponseCacheStoreTests : ResponseCacheStoreContractTests, IDisposable
{
    private readonly List<MemoryResponseCacheStore> _stores = [];

    [Fact]
    public async Task GetSize_CountsEntriesAndBytes()
    {
        MemoryResponseCacheStore store = Create(1 << 20, 100);
        CachedAnswer answer = Json(Start);

        await store.SetAsync("a", answer, Start.AddHours(1), TestContext.Current.CancellationToken);
        await store.SetAsync("b", answer, Start.AddHours(1), TestContext.Current.CancellationToken);

        Assert.Equal(new ResponseCacheStoreSize(2, 2 * answer.Size), store.GetSize());
        Assert.Equal(2, await store.ClearAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, store.GetSize()?.Entries);
    }

    [Fact]
    public async Task SetAsync_AtTheEntryLimit_DropsTheLeastRecentlyUsed()
    {
        MemoryResponseCacheStore store = Create(1 << 20, 10);
        for (int i = 0; i < 10; i++)
        {
            await store.SetAsync("k" + i, Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);
            Time.Advance(TimeSpan.FromSeconds(1));
        }

        // k0 is read, so k1 is now the least recently used.
        Assert.NotNull(await store.GetAsync("k0", TestContext.Current.CancellationToken));
        await store.SetAsync("new", Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);

        Assert.Equal(10, store.GetSize()?.Entries);
        Assert.Null(await store.GetAsync("k1", TestContext.Current.CancellationToken));
        Assert.NotNull(await store.GetAsync("k0", TestContext.Current.CancellationToken));
        Assert.NotNull(await store.GetAsync("new", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SetAsync_PastTheByteLimit_NewEntryNotKept()
    {
        CachedAnswer answer = Json(Start);
        MemoryResponseCacheStore store = Create(answer.Size * 2, 100);

        await store.SetAsync("a", answer, Start.AddHours(1), TestContext.Current.CancellationToken);
        await store.SetAsync("b", answer, Start.AddHours(1), TestContext.Current.CancellationToken);
        await store.SetAsync("c", answer, Start.AddHours(1), TestContext.Current.CancellationToken);

        Assert.Null(await store.GetAsync("c", TestContext.Current.CancellationToken));
        Assert.True(store.GetSize()?.Bytes <= answer.Size * 2);
    }

    public void Dispose()
    {
        foreach (MemoryResponseCacheStore store in _stores)
        {
            store.Dispose();
        }
    }

    private protected override IResponseCacheStore CreateStore() => Create(1 << 20, 1000);

    private MemoryResponseCacheStore Create(long maxBytes, int maxEntries)
    {
        var store = new MemoryResponseCacheStore(maxBytes, maxEntries, Time);
        _stores.Add(store);
        return store;
    }
}
