using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using SkGroq.Caching;
using SkGroq.Caching.Stores;
using SkGroq.Configuration;
using SkGroq.Inspection.Sse;

namespace SkGroq.Tests.Caching;

/// <summary>The API key is never part of a cache key or a stored entry.</summary>
public sealed class ResponseCachingSecretTests
{
    [Fact]
    public async Task SendAsync_StoredAnswers_NoKeyOrEntryContainsTheApiKey()
    {
        RecordingDistributedCache? recorded = null;
        using var harness = new CachingHarness(store: time =>
        {
            recorded = new RecordingDistributedCache(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions { Clock = new TimeProviderClock(time) })));
            return new DistributedResponseCacheStore(recorded, "skgroq:cache:", time, TimeSpan.FromSeconds(5));
        });
        harness.ReplyJson().ReplyStream();

        await harness.ExchangeAsync(CachingHarness.Question);
        await harness.ExchangeAsync(CachingHarness.Body(stream: true, question: "Say hello"));
        (HttpResponseMessage hit, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Equal("hit", CachingHarness.CacheHeader(hit));
        Assert.NotNull(recorded);
        Assert.Equal(2, recorded.Written.Count);
        string[] secrets = [CachingHarness.ApiKey, CachingHarness.ApiKey["gsk_".Length..], GroqApiKey.Fingerprint(CachingHarness.ApiKey)];
        foreach ((string key, byte[] value) in recorded.Written)
        {
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, key, StringComparison.OrdinalIgnoreCase);
                Assert.Equal(-1, value.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            }
        }
    }

    [Fact]
    public void TryCanonicalize_CanonicalFormHashed_IsTheBodyAlone()
    {
        using var canonical = new PooledByteBuffer();

        Assert.True(ResponseCacheKey.TryCanonicalize(Encoding.UTF8.GetBytes(CachingHarness.Question), "chat/completions", null, canonical));

        Assert.DoesNotContain(CachingHarness.ApiKey, Encoding.UTF8.GetString(canonical.WrittenSpan), StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", Encoding.UTF8.GetString(canonical.WrittenSpan), StringComparison.Ordinal);
    }
}
