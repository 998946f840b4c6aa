using System.Net;
using System.Net.Sockets;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Tests.Inspection;

public sealed class ResponseInspectionHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendAsync_NoFirstByteWithinTimeout_ThrowsTransientFirstByteTimeout()
    {
        using var harness = new PipelineHarness(o => o.Inspection.FirstByteTimeout = TimeSpan.FromSeconds(5));
        harness.Stub.Hang();
        using HttpRequestMessage request = PipelineHarness.Chat();

        Task<HttpResponseMessage> send = harness.Invoker.SendAsync(request, Ct);
        harness.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(send.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(0.1));

        GroqTimeoutException error = await Assert.ThrowsAsync<GroqTimeoutException>(() => send);
        Assert.Equal(GroqTimeoutKind.FirstByte, error.TimeoutKind);
        Assert.True(error.IsTransient);
        Assert.Equal("openai/gpt-oss-120b", error.Model);
        Assert.Contains("FirstByteTimeout", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, GroqRequestInfo.Get(request)!.Attempts);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_OperationCanceledExceptionPassesUntouched()
    {
        using var harness = new PipelineHarness();
        harness.Stub.Hang();
        using var cts = new CancellationTokenSource();
        using HttpRequestMessage request = PipelineHarness.Chat();

        Task<HttpResponseMessage> send = harness.Invoker.SendAsync(request, cts.Token);
        await cts.CancelAsync();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        Assert.Equal(cts.Token, error.CancellationToken);
    }

    [Fact]
    public async Task SendAsync_ConnectionRefused_ThrowsConnectionExceptionNamingTheHostNotTheKey()
    {
        using var harness = new PipelineHarness();
        harness.Stub.Throw(new HttpRequestException("Connection refused (api.groq.com:443)", new SocketException((int)SocketError.ConnectionRefused)));
        using HttpRequestMessage request = PipelineHarness.Chat();

        GroqConnectionException error = await Assert.ThrowsAsync<GroqConnectionException>(() => harness.Invoker.SendAsync(request, Ct));

        Assert.Contains("api.groq.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("GROQ_BASE_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Options.ApiKey!, error.Message, StringComparison.Ordinal);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public async Task SendAsync_ErrorStatus_ThrowsParsedGroqException()
    {
        using var harness = new PipelineHarness();
        harness.Stub.Reply(HttpStatusCode.Unauthorized, "{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
            configure: r => r.Headers.Add("x-request-id", "req_01k58ayzccefjv8xaggn412xag"));
        using HttpRequestMessage request = PipelineHarness.Chat();

        GroqAuthenticationException error = await Assert.ThrowsAsync<GroqAuthenticationException>(() => harness.Invoker.SendAsync(request, Ct));

        Assert.Equal("req_01k58ayzccefjv8xaggn412xag", error.RequestId);
        Assert.Equal("invalid_api_key", error.ErrorCode);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task SendAsync_HtmlWith200_ThrowsInvalidResponsePointingAtBaseUrl()
    {
        using var harness = new PipelineHarness();
        harness.Stub.Reply(HttpStatusCode.OK, "<html><title>Login</title></html>", "text/html");
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        GroqInvalidResponseException error = await Assert.ThrowsAsync<GroqInvalidResponseException>(() => harness.Invoker.SendAsync(request, Ct));

        Assert.Contains("GROQ_BASE_URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\"}")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"object\":\"list\",\"data\":[]}")]
    public async Task SendAsync_TruncatedOrForeignJsonWith200_ThrowsInvalidResponse(string body)
    {
        using var harness = new PipelineHarness();
        harness.Stub.Reply(HttpStatusCode.OK, body);
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        await Assert.ThrowsAsync<GroqInvalidResponseException>(() => harness.Invoker.SendAsync(request, Ct));
    }

    [Fact]
    public async Task SendAsync_JsonAnswer_CompletesObservationWithUsageAndKeepsBody()
    {
        using var harness = new PipelineHarness();
        string body = InspectionTestData.Text("nonstream-2026.json");
        harness.Stub.Reply(HttpStatusCode.OK, body, configure: r =>
        {
            r.Headers.Add("x-request-id", "req_header");
            r.Headers.Add("x-ratelimit-limit-requests", "1000");
            r.Headers.Add("x-ratelimit-remaining-requests", "999");
        });
        using HttpRequestMessage request = PipelineHarness.Chat("qwen/qwen3.8-27b", stream: false);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        ResponseObservation observation = Assert.IsType<ResponseObservation>(PipelineHarness.Observed(response));
        Assert.False(observation.Streaming);
        Assert.Equal(1000, GroqRateLimitHeaders.Parse(response.Headers)?.LimitRequests); // left on the response for the rate limiter above
        Assert.True(observation.Completion.IsCompletedSuccessfully);
        ResponseOutcome outcome = await observation.Completion;
        Assert.Equal(ResponseEndKind.Completed, outcome.Kind);
        Assert.Equal(16, outcome.Usage?.PromptTokens);
        Assert.Equal(19, outcome.Usage?.CompletionTokens);
        Assert.Equal("qwen/qwen3.8-27b", outcome.ModelAnswered);
        Assert.Equal("stop", outcome.FinishReason);
        Assert.Equal("req_01m48tqzdve5v8d97j7jgm40as", outcome.RequestId);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, "application/json")]
    [InlineData("application/json; charset=utf-8", "application/json; charset=utf-8")]
    [InlineData("application/vnd.groq+json", "application/vnd.groq+json")]
    public async Task SendAsync_JsonAnswer_ContentTypeIsFilledInOnlyWhenMissing(string? sent, string handedOn)
    {
        using var harness = new PipelineHarness();
        string body = InspectionTestData.Text("nonstream-2026.json");
        harness.Stub.Reply(HttpStatusCode.OK, body, configure: r =>
        {
            r.Content.Headers.Remove("Content-Type");
            if (sent is not null)
            {
                r.Content.Headers.TryAddWithoutValidation("Content-Type", sent);
            }
        });
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        Assert.Equal(handedOn, Assert.Single(response.Content.Headers.NonValidated["Content-Type"]));
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("1e300")]
    [InlineData("922337203686")]
    [InlineData("-1")]
    public async Task SendAsync_UsageTimeOutOfRange_KeepsTheTokens_AndLeavesTheTimeOut(string seconds)
    {
        using var harness = new PipelineHarness();
        string body = $$$"""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"llama-3.1-8b-instant","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"queue_time":{{{seconds}}},"prompt_tokens":16,"completion_tokens":2,"total_tokens":18,"total_time":0.01}}""";
        harness.Stub.Reply(HttpStatusCode.OK, body);
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        ResponseOutcome outcome = await Assert.IsType<ResponseObservation>(PipelineHarness.Observed(response)).Completion;
        Assert.Equal((16, 2), (outcome.Usage?.PromptTokens, outcome.Usage?.CompletionTokens));
        Assert.Null(outcome.Usage?.QueueTime);
        Assert.Equal(TimeSpan.FromSeconds(0.01), outcome.Usage?.TotalTime);
    }

    [Fact]
    public async Task SendAsync_2025JsonAnswer_ReadsUsage()
    {
        using var harness = new PipelineHarness();
        harness.Stub.Reply(HttpStatusCode.OK, InspectionTestData.Text("nonstream-2025.json"));
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        ResponseOutcome outcome = await PipelineHarness.Observed(response)!.Completion;
        Assert.Equal(20, outcome.Usage?.TotalTokens);
        Assert.Equal(TimeSpan.FromSeconds(0.630466235), outcome.Usage?.QueueTime);
        Assert.Equal("req_01jvfy6n35ek69jhnc5ja1hhyx", outcome.RequestId);
    }

    [Fact]
    public async Task SendAsync_JsonBodyStalls_ThrowsStreamIdleTimeout()
    {
        using var harness = new PipelineHarness(o => o.Inspection.StreamIdleTimeout = TimeSpan.FromSeconds(10));
        var network = new ScriptedStream();
        harness.Stub.Reply((request, _) =>
        {
            var content = new StreamContent(network);
            content.Headers.ContentType = new("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        });
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        Task started = network.ReadStarted.Task;
        Task<HttpResponseMessage> send = harness.Invoker.SendAsync(request, Ct);
        await started;
        harness.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(send.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        // Bounded in real time: a body wait that ignored the idle timeout would otherwise hang the test instead of failing it.
        GroqTimeoutException error = await Assert.ThrowsAsync<GroqTimeoutException>(() => send.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, Ct));
        Assert.Equal(GroqTimeoutKind.StreamIdle, error.TimeoutKind);
        Assert.True(network.Disposed);
    }

    [Fact]
    public async Task SendAsync_JsonBodyAfterTheHeaders_GetsTheStreamIdleTimeout_NotWhatIsLeftOfTheFirstByteOne()
    {
        using var harness = new PipelineHarness(o =>
        {
            o.Inspection.FirstByteTimeout = TimeSpan.FromSeconds(5);
            o.Inspection.StreamIdleTimeout = TimeSpan.FromSeconds(10);
        });
        string body = InspectionTestData.Text("nonstream-2026.json");
        var network = new ScriptedStream();
        var replying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Stub.Reply(async (request, _) =>
        {
            // The headers come 4 s after the send: 1 s before the first-byte timeout would have fired.
            Task headers = Task.Delay(TimeSpan.FromSeconds(4), harness.Time, Ct);
            replying.SetResult();
            await headers;
            var content = new StreamContent(network);
            content.Headers.ContentType = new("application/json");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        });
        using HttpRequestMessage request = PipelineHarness.Chat("qwen/qwen3.8-27b", stream: false);

        Task<HttpResponseMessage> send = harness.Invoker.SendAsync(request, Ct);
        Task started = network.ReadStarted.Task;
        await replying.Task;
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        await started;

        // 9.9 s after the headers (13.9 s after the send) the body is still within the idle timeout.
        harness.Time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(send.IsCompleted);
        network.Send(body).End();

        using HttpResponseMessage response = await send;
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task SendAsync_JsonBodyConnectionBreaks_ThrowsTransientConnectionException()
    {
        using var harness = new PipelineHarness();
        var network = ScriptedStream.Of("{\"id\":").Fail(new IOException("Connection reset by peer"));
        harness.Stub.Reply((request, _) =>
        {
            var content = new StreamContent(network);
            content.Headers.ContentType = new("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        });
        using HttpRequestMessage request = PipelineHarness.Chat(stream: false);

        GroqConnectionException error = await Assert.ThrowsAsync<GroqConnectionException>(() => harness.Invoker.SendAsync(request, Ct));

        Assert.True(error.IsRetryable);
        Assert.IsType<IOException>(error.GetBaseException());
    }

    [Fact]
    public async Task SendAsync_ModelsRequest_OnlyMapsErrors()
    {
        using var harness = new PipelineHarness();
        harness.Stub.Reply(HttpStatusCode.OK, "{\"object\":\"list\",\"data\":[]}");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.groq.com/openai/v1/models");

        using HttpResponseMessage response = await harness.Invoker.SendAsync(request, Ct);

        Assert.Null(PipelineHarness.Observed(response));
        Assert.Equal("{\"object\":\"list\",\"data\":[]}", await response.Content.ReadAsStringAsync(Ct));
    }
}
