using System.Text;
using SkGroq.Caching;
using SkGroq.Context;
using SkGroq.Http;
using SkGroq.Tests.Context;
using SkGroq.Usage;

namespace SkGroq.Tests.Caching;

public sealed class ResponseCachingHandlerTests
{
    [Fact]
    public async Task SendAsync_RepeatedDeterministicRequest_SecondFromCacheWithoutAnUpstreamCall()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson();

        (HttpResponseMessage first, byte[] firstBody) = await harness.ExchangeAsync(CachingHarness.Question);
        harness.Time.Advance(TimeSpan.FromSeconds(90));
        (HttpResponseMessage second, byte[] secondBody) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Single(harness.Stub.Requests);
        Assert.Null(CachingHarness.CacheHeader(first));
        Assert.Equal("hit", CachingHarness.CacheHeader(second));
        Assert.Equal(TimeSpan.FromSeconds(90), second.Headers.Age);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SendAsync_Hit_RecordedAsCacheHitWithTokensSavedAndNothingBilled()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson();

        await harness.ExchangeAsync(CachingHarness.Question);
        await harness.ExchangeAsync(CachingHarness.Question);

        UsageRecord[] records = [.. harness.Ledger.Records];
        Assert.Equal(2, records.Length);
        Assert.False(records[0].CacheHit);
        Assert.Equal(35, records[0].BilledPromptTokens + records[0].BilledCompletionTokens);
        Assert.True(records[1].CacheHit);
        Assert.False(records[1].Stale);
        Assert.Equal(UsageOutcome.Ok, records[1].Outcome);
        Assert.Equal(0, records[1].BilledPromptTokens + records[1].BilledCompletionTokens);
        Assert.Equal(35, records[1].TokensSaved);
        Assert.Equal(0, records[1].Attempts);
        Assert.Equal("req_01m48tqzdve5v8d97j7jgm40as", records[1].RequestId);
        ResponseCacheStatistics stats = harness.Cache.GetStatistics();
        Assert.Equal((1L, 1L, 1L, 35L, 0.5), (stats.Hits, stats.Misses, stats.Stored, stats.TokensSaved, stats.HitRate));
        Assert.Equal(1, stats.Entries);
    }

    [Fact]
    public async Task SendAsync_EquivalentRequest_Hit()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson();
        await harness.ExchangeAsync(CachingHarness.Question);

        HttpRequestMessage other = CachingHarness.Request("""{ "temperature": 0.0, "user": "bob", "stream": false, "messages": [ { "content": "What is 2+2?", "role": "user" } ], "model": "llama-3.1-8b-instant" }""");
        other.Headers.Authorization = new("Bearer", "gsk_another_key_of_the_same_org");
        other.Headers.Add("x-custom", "anything");
        using HttpResponseMessage response = await harness.Invoker.SendAsync(other, TestContext.Current.CancellationToken);

        Assert.Equal("hit", CachingHarness.CacheHeader(response));
        Assert.Single(harness.Stub.Requests);
    }

    [Theory]
    [InlineData("""{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"What is 2+3?"}],"temperature":0}""")]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[{"role":"user","content":"What is 2+2?"}],"temperature":0}""")]
    [InlineData("""{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"What is 2+2?"}],"temperature":0,"max_tokens":3}""")]
    [InlineData("""{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"What is 2+2?"}],"temperature":0,"seed":7}""")]
    public async Task SendAsync_DifferentRequest_Miss(string different)
    {
        using var harness = new CachingHarness();
        harness.ReplyJson().ReplyJson();

        await harness.ExchangeAsync(CachingHarness.Question);
        (HttpResponseMessage response, _) = await harness.ExchangeAsync(different);

        Assert.Null(CachingHarness.CacheHeader(response));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Theory]
    [InlineData("0.7")]
    [InlineData("1")]
    [InlineData(null)]
    public async Task SendAsync_NonDeterministicRequest_NotCachedByDefault(string? temperature)
    {
        using var harness = new CachingHarness();
        harness.ReplyJson().ReplyJson();
        string body = temperature is null
            ? """{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"Tell me a joke"}]}"""
            : CachingHarness.Body(temperature: temperature);

        await harness.ExchangeAsync(body);
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(body);

        Assert.Null(CachingHarness.CacheHeader(second));
        Assert.Equal(2, harness.Stub.Requests.Count);
        Assert.Equal(0, harness.Cache.GetStatistics().Entries);
        Assert.Equal(2, harness.Cache.GetStatistics().Bypassed);
        Assert.All(harness.Ledger.Records, r => Assert.False(r.CacheHit));
    }

    [Fact]
    public async Task SendAsync_OptedInThroughTheContext_CachedAtAnyTemperature()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson();
        string body = CachingHarness.Body(temperature: "0.9");

        using (GroqRequestContext.Begin(new GroqRequestOptions { Cache = GroqCacheMode.Enabled }))
        {
            await harness.ExchangeAsync(body);
            (HttpResponseMessage second, _) = await harness.ExchangeAsync(body);
            Assert.Equal("hit", CachingHarness.CacheHeader(second));
        }

        Assert.Single(harness.Stub.Requests);
    }

    [Fact]
    public async Task SendAsync_OptedOut_NeitherReadsNorWrites()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson().ReplyJson().ReplyJson().ReplyJson();
        await harness.ExchangeAsync(CachingHarness.Question);

        using (GroqRequestContext.Begin(new GroqRequestOptions { Cache = GroqCacheMode.Disabled }))
        {
            (HttpResponseMessage optedOut, _) = await harness.ExchangeAsync(CachingHarness.Question);
            Assert.Null(CachingHarness.CacheHeader(optedOut));
            await harness.ExchangeAsync(CachingHarness.Body(question: "Never stored?"));
        }

        (HttpResponseMessage later, _) = await harness.ExchangeAsync(CachingHarness.Body(question: "Never stored?"));
        Assert.Null(CachingHarness.CacheHeader(later));
        Assert.Equal(4, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_Refresh_AsksGroqAndReplacesTheEntry()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson(CachingHarness.Completion("old")).ReplyJson(CachingHarness.Completion("new"));
        await harness.ExchangeAsync(CachingHarness.Question);

        using (GroqRequestContext.Begin(new GroqRequestOptions { Cache = GroqCacheMode.Refresh }))
        {
            (HttpResponseMessage refreshed, byte[] body) = await harness.ExchangeAsync(CachingHarness.Question);
            Assert.Null(CachingHarness.CacheHeader(refreshed));
            Assert.Contains("\"new\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        }

        (HttpResponseMessage after, byte[] afterBody) = await harness.ExchangeAsync(CachingHarness.Question);
        Assert.Equal("hit", CachingHarness.CacheHeader(after));
        Assert.Contains("\"new\"", Encoding.UTF8.GetString(afterBody), StringComparison.Ordinal);
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_AtTheTimeToLive_AsksGroqAgain()
    {
        using var harness = new CachingHarness(o => o.Cache.TimeToLive = TimeSpan.FromMinutes(10));
        harness.ReplyJson(CachingHarness.Completion("first")).ReplyJson(CachingHarness.Completion("second"));
        await harness.ExchangeAsync(CachingHarness.Question);

        harness.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        (HttpResponseMessage justFresh, _) = await harness.ExchangeAsync(CachingHarness.Question);
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        (HttpResponseMessage expired, byte[] body) = await harness.ExchangeAsync(CachingHarness.Question);
        (HttpResponseMessage again, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Equal("hit", CachingHarness.CacheHeader(justFresh));
        Assert.Null(CachingHarness.CacheHeader(expired));
        Assert.Contains("\"second\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal("hit", CachingHarness.CacheHeader(again));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Theory]
    [InlineData("tool_calls")]
    [InlineData("content_filter")]
    public async Task SendAsync_AnswerNotFinishedByStopOrLength_NotStored(string finishReason)
    {
        using var harness = new CachingHarness();
        harness.ReplyJson(CachingHarness.Completion(finishReason: finishReason)).ReplyJson();

        await harness.ExchangeAsync(CachingHarness.Question);
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Null(CachingHarness.CacheHeader(second));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_LengthFinish_Stored()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson(CachingHarness.Completion(finishReason: "length"));

        await harness.ExchangeAsync(CachingHarness.Question);
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Equal("hit", CachingHarness.CacheHeader(second));
    }

    [Fact]
    public async Task SendAsync_AnswerLargerThanMaxEntryBytes_PassedOnNotStored()
    {
        using var harness = new CachingHarness(o => o.Cache.MaxEntryBytes = 256);
        harness.ReplyJson().ReplyJson();

        (_, byte[] first) = await harness.ExchangeAsync(CachingHarness.Question);
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Equal(CachingHarness.Completion(), Encoding.UTF8.GetString(first));
        Assert.Null(CachingHarness.CacheHeader(second));
    }

    [Fact]
    public async Task SendAsync_AnsweredByAFallbackModel_SharedWithFollowersButNotStored()
    {
        using var harness = new CachingHarness(belowCache: new SwitchModelHandler("openai/gpt-oss-20b"));
        harness.ReplyJson().ReplyJson();

        await harness.ExchangeAsync(CachingHarness.Question);
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Null(CachingHarness.CacheHeader(second));
        Assert.Equal(2, harness.Stub.Requests.Count);
        Assert.Equal(0, harness.Cache.GetStatistics().Entries);
    }

    [Fact]
    public async Task SendAsync_Hit_ReportsTheCacheHitToTheAmbientStatus()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson();
        await harness.ExchangeAsync(CachingHarness.Question);
        harness.Time.Advance(TimeSpan.FromMinutes(12));
        var status = new StatusRecorder();

        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = status }))
        {
            await harness.ExchangeAsync(CachingHarness.Question);
        }

        GroqRequestStatus report = Assert.Single(status.All);
        Assert.Equal(GroqRequestPhase.CacheHit, report.Phase);
        Assert.Equal("Answered from the response cache (stored 12 min ago).", report.Message);
    }

    [Fact]
    public async Task SendAsync_ModelsList_PassesThroughUntouched()
    {
        using var harness = new CachingHarness();
        harness.Stub.Reply(System.Net.HttpStatusCode.OK, """{"object":"list","data":[]}""");

        using HttpResponseMessage response = await harness.Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.groq.com/openai/v1/models"), TestContext.Current.CancellationToken);

        Assert.Null(CachingHarness.CacheHeader(response));
        Assert.Equal(0, harness.Cache.GetStatistics().Misses + harness.Cache.GetStatistics().Bypassed);
    }

    [Fact]
    public async Task ClearAsync_RemovesTheEntries_NextRequestAsksGroq()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson().ReplyJson();
        await harness.ExchangeAsync(CachingHarness.Question);

        long? removed = await harness.Cache.ClearAsync(TestContext.Current.CancellationToken);
        (HttpResponseMessage after, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Equal(1, removed);
        Assert.Null(CachingHarness.CacheHeader(after));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    /// <summary>Rewrites the model as the resilience layer's model fallback (position 3) does.</summary>
    private sealed class SwitchModelHandler(string model) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            GroqRequestInfo info = GroqRequestInfo.Get(request)!;
            string body = Encoding.UTF8.GetString(info.Body.Span).Replace(info.Model!, model, StringComparison.Ordinal);
            info.ReplaceBody(request, Encoding.UTF8.GetBytes(body));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
