using System.Net;
using System.Text;
using System.Text.Json;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Tests.Inspection;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

public sealed class UsageTrackingHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Scout = "meta-llama/llama-4-scout-17b-16e-instruct";

    [Fact]
    public async Task SendAsync_JsonAnswer_OneOkRecordWithUsageAndPrice()
    {
        using var harness = new UsageHarness();
        harness.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2025.json"));
        using HttpRequestMessage request = UsageHarness.Chat(Scout, stream: false);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        UsageRecord record = Assert.Single(harness.Ledger.Records);
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.Equal(Scout, record.ModelRequested);
        Assert.Equal(Scout, record.ModelAnswered);
        Assert.Equal("req_01jvfy6n35ek69jhnc5ja1hhyx", record.RequestId);
        Assert.Equal(13, record.Usage?.PromptTokens);
        Assert.Equal(7, record.Usage?.CompletionTokens);
        Assert.Equal(((13 * 0.11m) + (7 * 0.34m)) / 1_000_000m, record.Cost);
        Assert.Equal("stop", record.FinishReason);
        Assert.False(record.Streaming);
        Assert.Equal(1, record.Attempts);
        Assert.Null(record.EstimatedPromptTokens);
        Assert.Equal(harness.Time.GetUtcNow(), record.Timestamp);
    }

    [Fact]
    public async Task SendAsync_ModelWithoutPrice_CostIsUnknownNotZero()
    {
        using var harness = new UsageHarness();
        harness.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2026.json"));
        using HttpRequestMessage request = UsageHarness.Chat("qwen/qwen3.8-27b", stream: false);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        UsageRecord record = Assert.Single(harness.Ledger.Records);
        Assert.Null(record.Cost);
        Assert.Equal(35, record.Usage?.TotalTokens);
    }

    [Fact]
    public async Task SendAsync_StreamReadToTheEnd_OneOkRecordWithUsageOnceAndTimeToFirstToken()
    {
        using var harness = new UsageHarness();
        var network = new ScriptedStream();
        harness.Stub.ReplyStream(network);
        using HttpRequestMessage request = UsageHarness.Chat("openai/gpt-oss-20b", stream: true);
        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);
        Stream body = await response.Content.ReadAsStreamAsync(Ct);
        byte[] buffer = new byte[8192];

        harness.Time.Advance(TimeSpan.FromMilliseconds(300));
        network.Send(InspectionTestData.FirstChunk("openai/gpt-oss-20b") + InspectionTestData.ContentChunk("Hi", "openai/gpt-oss-20b"));
        _ = await body.ReadAsync(buffer, Ct);
        harness.Time.Advance(TimeSpan.FromMilliseconds(200));
        network.Send(InspectionTestData.ContentChunk(" there", "openai/gpt-oss-20b") + InspectionTestData.FinishChunk(75, 10, "openai/gpt-oss-20b"));
        _ = await body.ReadAsync(buffer, Ct);
        Assert.Empty(harness.Ledger.Records);
        network.Send("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":75,\"completion_tokens\":10,\"total_tokens\":85}}\n\n" + InspectionTestData.Done).End();
        while (await body.ReadAsync(buffer, Ct) > 0)
        {
        }

        UsageRecord record = await harness.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.True(record.Streaming);
        Assert.Equal(75, record.Usage?.PromptTokens);
        Assert.Equal(10, record.Usage?.CompletionTokens);
        Assert.Equal(2, record.CompletionChunks);
        Assert.Equal(TimeSpan.FromMilliseconds(300), record.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(500), record.Duration);
        Assert.Equal(10 / 0.2, record.TokensPerSecond!.Value, 6);
        Assert.Equal(((75 * 0.075m) + (10 * 0.3m)) / 1_000_000m, record.Cost);
        Assert.Single(harness.Ledger.Records);
    }

    [Fact]
    public async Task SendAsync_StreamAbandoned_ExactlyOneIncompleteRecord()
    {
        using var harness = new UsageHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("a"));
        harness.Stub.ReplyStream(network);
        HttpResponseMessage response = await harness.Invoker.SendAsync(UsageHarness.Chat("openai/gpt-oss-120b", stream: true), Ct);
        Stream body = await response.Content.ReadAsStreamAsync(Ct);
        _ = await body.ReadAsync(new byte[8192], Ct);

        response.Dispose();
        await body.DisposeAsync();
        response.Dispose();

        UsageRecord record = await harness.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Incomplete, record.Outcome);
        Assert.Equal("abandoned", record.ErrorKind);
        Assert.Equal(1, record.CompletionChunks);
        Assert.Null(record.Usage);
        Assert.Null(record.Cost);
        Assert.Equal("req_01kztr8bqme32rx8ttyjtpk0nw", record.RequestId);
        Assert.Single(harness.Ledger.Records);
    }

    [Fact]
    public async Task SendAsync_StreamCarriesErrorFrame_OneIncompleteRecordWithTheErrorKind()
    {
        using var harness = new UsageHarness();
        harness.Stub.ReplyStream(ScriptedStream.Of(InspectionTestData.Text("stream-error-event.sse")).End());
        using HttpResponseMessage response = await harness.Invoker.SendAsync(UsageHarness.Chat("openai/gpt-oss-120b", stream: true), Ct);

        await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => PipelineHarness.ReadAllAsync(response));

        UsageRecord record = await harness.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Incomplete, record.Outcome);
        Assert.Equal("stream_interrupted", record.ErrorKind);
        Assert.Equal(1, record.CompletionChunks);
        response.Dispose();
        Assert.Single(harness.Ledger.Records);
    }

    [Fact]
    public async Task SendAsync_ReadCancelled_OneIncompleteRecord()
    {
        using var harness = new UsageHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk());
        harness.Stub.ReplyStream(network);
        using HttpResponseMessage response = await harness.Invoker.SendAsync(UsageHarness.Chat("openai/gpt-oss-120b", stream: true), Ct);
        Stream body = await response.Content.ReadAsStreamAsync(Ct);
        _ = await body.ReadAsync(new byte[8192], Ct);
        using var cts = new CancellationTokenSource();
        Task started = network.ReadStarted.Task;
        ValueTask<int> read = body.ReadAsync(new byte[8192], cts.Token);
        await started;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);

        UsageRecord record = await harness.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Incomplete, record.Outcome);
        Assert.Equal("cancelled", record.ErrorKind);
    }

    [Fact]
    public async Task SendAsync_ErrorBeforeAnswer_ErrorRecordAndTheSameExceptionRethrown()
    {
        using var harness = new UsageHarness();
        harness.Stub.Reply(HttpStatusCode.TooManyRequests,
            "{\"error\":{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 2s.\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
            configure: r => r.Headers.Add("x-request-id", "req_429"));

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => harness.Invoker.SendAsync(UsageHarness.Chat("llama-3.1-8b-instant", stream: false), Ct));

        UsageRecord record = Assert.Single(harness.Ledger.Records);
        Assert.Equal(UsageOutcome.Error, record.Outcome);
        Assert.Equal(error.Kind, record.ErrorKind);
        Assert.Equal("req_429", record.RequestId);
        Assert.Null(record.ModelAnswered);
        Assert.Equal(0m, record.Cost);
        Assert.Equal(1, record.Attempts);
    }

    [Fact]
    public async Task SendAsync_CallerCancelsBeforeAnswer_CancelledRecord()
    {
        using var harness = new UsageHarness();
        harness.Stub.Hang();
        using var cts = new CancellationTokenSource();
        Task entered = harness.Stub.Entered.Task;
        Task<HttpResponseMessage> send = harness.Invoker.SendAsync(UsageHarness.Chat("llama-3.1-8b-instant", stream: false), cts.Token);
        await entered;
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);

        UsageRecord record = Assert.Single(harness.Ledger.Records);
        Assert.Equal(UsageOutcome.Cancelled, record.Outcome);
    }

    [Fact]
    public async Task SendAsync_InAmbientScope_TagsRecordAndGivesItToTheScope()
    {
        using var harness = new UsageHarness();
        harness.Stub.ReplyStream(ScriptedStream.Of(InspectionTestData.Stream("openai/gpt-oss-20b", 5, 1, "x")).End());
        using GroqRequestScope outer = GroqRequestContext.Begin(new GroqRequestOptions { ConversationId = "outer" });
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { ConversationId = "c-42", TenantId = "acme", Feature = "summarize" });
        using HttpResponseMessage response = await harness.Invoker.SendAsync(UsageHarness.Chat("openai/gpt-oss-20b", stream: true), Ct);

        await PipelineHarness.ReadAllAsync(response);
        UsageRecord record = await harness.Ledger.NextAsync();

        Assert.Equal("c-42", record.ConversationId);
        Assert.Equal("acme", record.TenantId);
        Assert.Equal("summarize", record.Feature);
        Assert.Same(record, scope.LastRecord);
        Assert.Same(record, outer.LastRecord);
    }

    [Fact]
    public async Task SendAsync_AnyRecord_NeverContainsTheApiKey()
    {
        using var harness = new UsageHarness();
        harness.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2025.json"));
        harness.Stub.Reply(HttpStatusCode.Unauthorized, "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");

        (await harness.Invoker.SendAsync(UsageHarness.Chat(Scout, stream: false), Ct)).Dispose();
        await Assert.ThrowsAsync<GroqAuthenticationException>(() => harness.Invoker.SendAsync(UsageHarness.Chat(Scout, stream: false), Ct));

        Assert.Equal(2, harness.Ledger.Records.Count);
        foreach (UsageRecord record in harness.Ledger.Records)
        {
            string json = JsonSerializer.Serialize(record);
            Assert.DoesNotContain(UsageHarness.ApiKey, json, StringComparison.Ordinal);
            Assert.DoesNotContain(UsageHarness.ApiKey[4..], json, StringComparison.Ordinal);
            Assert.Equal(GroqApiKey.Fingerprint(UsageHarness.ApiKey), record.Organization);
        }
    }

    [Fact]
    public async Task SendAsync_OrganizationConfigured_LabelsRecords()
    {
        using var harness = new UsageHarness(o => o.Organization = "team-a");
        harness.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2025.json"));

        (await harness.Invoker.SendAsync(UsageHarness.Chat(Scout, stream: false), Ct)).Dispose();

        Assert.Equal("team-a", Assert.Single(harness.Ledger.Records).Organization);
    }

    [Fact]
    public async Task SendAsync_CacheHitMarked_RecordIsFreeAndCountsTokensSaved()
    {
        var cache = new MarkingHandler(request =>
        {
            GroqRequestInfo info = GroqRequestInfo.Get(request)!;
            info.CacheHit = true;
            info.Stale = true;

            // What the response cache does when it serves an answer: the observation comes from the stored answer's facts.
            info.Observation = SkGroq.Caching.ReplayObservation.Json(SkGroq.Caching.Stores.ReplayFacts.OfJson(InspectionTestData.Bytes("nonstream-2025.json")), TimeProvider.System);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(InspectionTestData.Text("nonstream-2025.json"), Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
        });
        using var harness = new UsageHarness(middle: cache);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(UsageHarness.Chat(Scout, stream: false), Ct);

        UsageRecord record = Assert.Single(harness.Ledger.Records);
        Assert.True(record.CacheHit);
        Assert.True(record.Stale);
        Assert.Equal(0m, record.Cost);
        Assert.Equal(0, record.BilledPromptTokens);
        Assert.Equal(20, record.TokensSaved);
        Assert.Equal(0, record.Attempts);
        Assert.Equal(InspectionTestData.Text("nonstream-2025.json"), await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_LimiterEstimatedPrompt_RecordCarriesEstimate()
    {
        var limiter = new MarkingHandler(null, request => GroqRequestInfo.Get(request)!.EstimatedPromptTokens = 42);
        using var harness = new UsageHarness(middle: limiter);
        harness.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2025.json"));

        (await harness.Invoker.SendAsync(UsageHarness.Chat(Scout, stream: false), Ct)).Dispose();

        UsageRecord record = Assert.Single(harness.Ledger.Records);
        Assert.Equal(42, record.EstimatedPromptTokens);
        Assert.Equal(13, record.Usage?.PromptTokens);
    }

    [Fact]
    public async Task SendAsync_ModelsListOrDisabled_NoRecord()
    {
        using var harness = new UsageHarness();
        harness.Stub.Reply(HttpStatusCode.OK, "{\"object\":\"list\",\"data\":[]}");
        (await harness.Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.groq.com/openai/v1/models"), Ct)).Dispose();

        using var disabled = new UsageHarness(o => o.Usage.Enabled = false);
        disabled.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2025.json"));
        (await disabled.Invoker.SendAsync(UsageHarness.Chat(Scout, stream: false), Ct)).Dispose();

        Assert.Empty(harness.Ledger.Records);
        Assert.Empty(disabled.Ledger.Records);
    }

    /// <summary>Stands in for a handler between usage and inspection (the cache, the limiter).</summary>
    private sealed class MarkingHandler(Func<HttpRequestMessage, HttpResponseMessage>? answer, Action<HttpRequestMessage>? touch = null) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            touch?.Invoke(request);
            return answer is not null ? Task.FromResult(answer(request)) : base.SendAsync(request, cancellationToken);
        }
    }
}
