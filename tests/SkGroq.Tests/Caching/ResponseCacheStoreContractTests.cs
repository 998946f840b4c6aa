using Microsoft.Extensions.Time.Testing;
using SkGroq.Caching.Stores;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

/// <summary>What every <see cref="IResponseCacheStore"/> must do; run against each store by a derived class.</summary>
public abstract class ResponseCacheStoreContractTests
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    private protected abstract IResponseCacheStore CreateStore();

    [Fact]
    public async Task GetAsync_AfterSet_ReturnsTheSameAnswer()
    {
        IResponseCacheStore store = CreateStore();
        CachedAnswer json = Json(Start);
        CachedAnswer stream = CachedAnswerTests.StreamAnswer("stream-include-usage.sse");

        await store.SetAsync("json", json, Start.AddHours(1), TestContext.Current.CancellationToken);
        await store.SetAsync("stream", stream, Start.AddHours(1), TestContext.Current.CancellationToken);
        CachedAnswer? gotJson = await store.GetAsync("json", TestContext.Current.CancellationToken);
        CachedAnswer? gotStream = await store.GetAsync("stream", TestContext.Current.CancellationToken);

        Assert.NotNull(gotJson);
        Assert.NotNull(gotStream);
        Assert.Equal(json.Info, gotJson.Info);
        Assert.True(json.Data.SequenceEqual(gotJson.Data));
        Assert.Equal(CachedAnswerKind.Stream, gotStream.Kind);
        Assert.True(stream.Data.SequenceEqual(gotStream.Data));
        Assert.True(stream.ChunkEnds.SequenceEqual(gotStream.ChunkEnds));
    }

    [Fact]
    public async Task GetAsync_UnknownKey_Null()
    {
        Assert.Null(await CreateStore().GetAsync("nothing", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetAsync_AtExpiry_Null()
    {
        IResponseCacheStore store = CreateStore();
        await store.SetAsync("k", Json(Start), Start.AddMinutes(10), TestContext.Current.CancellationToken);

        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await store.GetAsync("k", TestContext.Current.CancellationToken));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetAsync("k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SetAsync_SameKey_Replaces()
    {
        IResponseCacheStore store = CreateStore();
        await store.SetAsync("k", Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);
        Time.Advance(TimeSpan.FromMinutes(1));

        await store.SetAsync("k", Json(Time.GetUtcNow()), Start.AddHours(2), TestContext.Current.CancellationToken);

        Assert.Equal(Time.GetUtcNow(), (await store.GetAsync("k", TestContext.Current.CancellationToken))?.StoredAt);
    }

    [Fact]
    public async Task ClearAsync_RemovesEverything()
    {
        IResponseCacheStore store = CreateStore();
        await store.SetAsync("a", Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);
        await store.SetAsync("b", Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);

        await store.ClearAsync(TestContext.Current.CancellationToken);

        Assert.Null(await store.GetAsync("a", TestContext.Current.CancellationToken));
        Assert.Null(await store.GetAsync("b", TestContext.Current.CancellationToken));
        await store.SetAsync("a", Json(Start), Start.AddHours(1), TestContext.Current.CancellationToken);
        Assert.NotNull(await store.GetAsync("a", TestContext.Current.CancellationToken));
    }

    internal static CachedAnswer Json(DateTimeOffset storedAt)
        => CachedAnswer.FromJson(InspectionTestData.Bytes("nonstream-2026.json"), new CachedAnswerInfo(storedAt, "qwen/qwen3.8-27b", "stop", 16, 19));
}
