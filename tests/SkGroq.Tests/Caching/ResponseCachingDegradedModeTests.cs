using System.Net;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Tests.Context;
using SkGroq.Usage;

namespace SkGroq.Tests.Caching;

/// <summary>Degraded mode: a stale answer stands in when Groq cannot answer, never when the request is wrong.</summary>
public sealed class ResponseCachingDegradedModeTests
{
    public static TheoryData<int, string> ServerSide => new()
    {
        { 500, """{"error":{"message":"Internal Server Error","type":"internal_server_error"}}""" },
        { 502, """{"error":{"message":"Bad Gateway","type":"internal_server_error"}}""" },
        { 503, """{"error":{"message":"llama-3.1-8b-instant is currently over capacity. Please try again and back off exponentially.","type":"internal_server_error","code":"over_capacity"}}""" },
        { 429, """{"error":{"message":"Rate limit reached for model `llama-3.1-8b-instant` on requests per day (RPD): Limit 14400, Used 14400, Requested 1. Please try again in 6s.","type":"requests","code":"rate_limit_exceeded"}}""" },
    };

    public static TheoryData<int, string> ClientSide => new()
    {
        { 400, """{"error":{"message":"'messages' : minimum number of items is 1","type":"invalid_request_error"}}""" },
        { 401, """{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}""" },
        { 404, """{"error":{"message":"The model `llama-3.1-8b-instant` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}""" },
        { 413, """{"error":{"message":"Request Entity Too Large","type":"invalid_request_error","code":"request_too_large"}}""" },
    };

    [Theory]
    [MemberData(nameof(ServerSide))]
    public async Task SendAsync_GroqFailsServerSideAfterTheTimeToLive_ServesTheStaleAnswer(int status, string error)
    {
        using CachingHarness harness = Harness();
        byte[] original = await StoreAsync(harness);
        harness.ReplyError(status, error);
        harness.Time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(12));
        var reports = new StatusRecorder();

        HttpResponseMessage response;
        byte[] body;
        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = reports }))
        {
            (response, body) = await harness.ExchangeAsync(CachingHarness.Question);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("stale", CachingHarness.CacheHeader(response));
        Assert.Equal(original, body);
        GroqRequestStatus report = Assert.Single(reports.All);
        Assert.Equal(GroqRequestPhase.CacheHit, report.Phase);
        Assert.StartsWith("Groq unavailable (" + status, report.Message, StringComparison.Ordinal);
        Assert.EndsWith("): serving a cached answer from 2 h 12 min ago.", report.Message, StringComparison.Ordinal);
        UsageRecord record = harness.Ledger.Records[^1];
        Assert.True(record.CacheHit);
        Assert.True(record.Stale);
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.Equal(35, record.TokensSaved);
        Assert.Equal(1, harness.Cache.GetStatistics().StaleServes);
    }

    [Theory]
    [MemberData(nameof(ClientSide))]
    public async Task SendAsync_RequestRejectedClientSide_RethrowsTheErrorEvenWithAnEntry(int status, string error)
    {
        using CachingHarness harness = Harness();
        await StoreAsync(harness);
        harness.ReplyError(status, error);
        harness.Time.Advance(TimeSpan.FromHours(2));

        GroqException thrown = await Assert.ThrowsAnyAsync<GroqException>(() => harness.ExchangeAsync(CachingHarness.Question));

        Assert.Equal(status, thrown.StatusCode);
        Assert.Equal(0, harness.Cache.GetStatistics().StaleServes);
        Assert.False(harness.Ledger.Records[^1].CacheHit);
    }

    [Fact]
    public async Task SendAsync_ConnectionFails_ServesTheStaleAnswer()
    {
        using CachingHarness harness = Harness();
        await StoreAsync(harness);
        harness.Stub.Throw(new HttpRequestException("Connection refused (api.groq.com:443)"));
        harness.Time.Advance(TimeSpan.FromHours(3));

        (HttpResponseMessage response, _) = await harness.ExchangeAsync(CachingHarness.Question);

        Assert.Equal("stale", CachingHarness.CacheHeader(response));
    }

    [Fact]
    public async Task SendAsync_GroqFailsPastTheStaleWindow_RethrowsTheError()
    {
        using CachingHarness harness = Harness(TimeSpan.FromHours(1));
        await StoreAsync(harness);
        harness.ReplyError(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""");
        harness.Time.Advance(TimeSpan.FromHours(2));

        await Assert.ThrowsAsync<GroqOverCapacityException>(() => harness.ExchangeAsync(CachingHarness.Question));
    }

    [Fact]
    public async Task SendAsync_GroqFailsWithoutAnEntry_RethrowsTheError()
    {
        using var harness = new CachingHarness();
        harness.ReplyError(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""");

        await Assert.ThrowsAsync<GroqOverCapacityException>(() => harness.ExchangeAsync(CachingHarness.Question));
    }

    [Fact]
    public async Task SendAsync_StaleWindowZero_DegradedModeOff()
    {
        using CachingHarness harness = Harness(TimeSpan.Zero);
        await StoreAsync(harness);
        harness.ReplyError(500, """{"error":{"message":"Internal Server Error","type":"internal_server_error"}}""");
        harness.Time.Advance(TimeSpan.FromHours(1));

        await Assert.ThrowsAsync<GroqServerException>(() => harness.ExchangeAsync(CachingHarness.Question));
    }

    [Fact]
    public async Task SendAsync_RefreshFailsWhileTheEntryIsFresh_ServesItAsAHit()
    {
        using CachingHarness harness = Harness();
        byte[] original = await StoreAsync(harness);
        harness.ReplyError(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""");

        HttpResponseMessage response;
        byte[] body;
        using (GroqRequestContext.Begin(new GroqRequestOptions { Cache = GroqCacheMode.Refresh }))
        {
            (response, body) = await harness.ExchangeAsync(CachingHarness.Question);
        }

        Assert.Equal("hit", CachingHarness.CacheHeader(response));
        Assert.Equal(original, body);
        Assert.False(harness.Ledger.Records[^1].Stale);
    }

    [Fact]
    public async Task SendAsync_StreamingRequestDegraded_ReplaysTheStaleAnswerAsAStream()
    {
        using CachingHarness harness = Harness();
        await StoreAsync(harness);
        harness.ReplyError(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""");
        harness.Time.Advance(TimeSpan.FromHours(2));

        (HttpResponseMessage response, byte[] sse) = await harness.ExchangeAsync(CachingHarness.Body(stream: true));

        Assert.Equal("stale", CachingHarness.CacheHeader(response));
        Assert.EndsWith("data: [DONE]\n\n", System.Text.Encoding.UTF8.GetString(sse), StringComparison.Ordinal);
        Assert.True(harness.Ledger.Records[^1].Stale);
    }

    private static CachingHarness Harness(TimeSpan? staleWindow = null) => new(o =>
    {
        o.Cache.TimeToLive = TimeSpan.FromHours(1);
        o.Cache.StaleWindow = staleWindow ?? TimeSpan.FromDays(1);
    });

    private static async Task<byte[]> StoreAsync(CachingHarness harness)
    {
        harness.ReplyJson();
        (_, byte[] body) = await harness.ExchangeAsync(CachingHarness.Question);
        return body;
    }
}
