using Microsoft.SemanticKernel;
using SkGroq.Emulator.Faults;
using SkGroq.Errors;
using SkGroq.Usage;

namespace SkGroq.Tests.Resilience;

/// <summary>
/// One test per status code Groq sends, through <c>AddGroq</c> + Semantic Kernel (or the raw <c>groq</c> client) against the
/// emulator's fault injection: the exact number of attempts the emulator received, the waits between them (fake clock, no
/// jitter: 0.5 s then 1 s), the exception type and its message, and that the OpenAI SDK sent once per call (one usage record).
/// </summary>
public sealed class StatusCodeTests
{
    private const string Model = ResilienceHarness.Primary;

    private static readonly TimeSpan[] s_backoff = [TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)];

    [Fact]
    public async Task InternalServerError500_IsRetriedTwiceWithBackoff_ThenThrowsServerError()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqServerException error = run.Fails<GroqServerException>();
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("Groq failed with 500 (internal_server_error): Internal Server Error. Try again shortly; https://groqstatus.com shows incidents.", error.Message);
        Assert.NotNull(error.RequestId);
        Assert.Equal(3, h.Requests(Model));
        Assert.Equal(s_backoff, run.Delays);
        AssertWireGaps(h, s_backoff);
        UsageRecord record = await h.Ledger.NextAsync();
        Assert.Equal(3, record.Attempts);
        Assert.Equal("server_error", record.ErrorKind);
        Assert.Single(h.Ledger.Records);
    }

    [Fact]
    public async Task BadGateway502_IsRetriedTwiceWithBackoff_ThenThrowsServerError()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.BadGateway), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqServerException error = run.Fails<GroqServerException>();
        Assert.Equal(502, error.StatusCode);
        Assert.Equal("Groq failed with 502 (internal_server_error): Bad Gateway. Try again shortly; https://groqstatus.com shows incidents.", error.Message);
        Assert.Equal(3, h.Requests(Model));
        Assert.Equal(s_backoff, run.Delays);
        AssertWireGaps(h, s_backoff);
    }

    [Fact]
    public async Task OverCapacity503_IsRetriedTwiceWithBackoff_ThenThrowsOverCapacity()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqOverCapacityException error = run.Fails<GroqOverCapacityException>();
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(
            "Model 'llama-3.3-70b-versatile' is unavailable right now (503): llama-3.3-70b-versatile is currently over capacity. Please try again and back off exponentially. "
            + "Visit https://groqstatus.com to see if there is an active incident. Try again shortly; https://groqstatus.com shows incidents.",
            error.Message);
        Assert.Equal(3, h.Requests(Model));
        Assert.Equal(s_backoff, run.Delays);
        Assert.Equal(3, (await h.Ledger.NextAsync()).Attempts);
    }

    [Fact]
    public async Task FlexCapacity498_OnDemandRequest_IsRetriedTwiceWithBackoff_ThenThrowsOverCapacity()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.CapacityExceeded), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqOverCapacityException error = run.Fails<GroqOverCapacityException>();
        Assert.Equal(498, error.StatusCode);
        Assert.Equal("Flex-tier capacity for model 'llama-3.3-70b-versatile' is exhausted (capacity_exceeded). Try again later, or use the on_demand service tier.", error.Message);
        Assert.Equal(3, h.Requests(Model));
        Assert.Equal(s_backoff, run.Delays);
    }

    [Fact]
    public async Task RateLimited429_WithRetryAfter_WaitsExactlyWhatGroqSaid_ThenSucceeds()
    {
        // Two requests per minute: the third request is refused with "try again in 30s" / retry-after: 30.
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(
            o => o.RequestTimeout = TimeSpan.FromMinutes(5),
            e => e.Limits[Model] = new Models.ModelLimits(2, null, null, null));
        for (int i = 0; i < 2; i++)
        {
            Assert.NotNull((await h.AskAsync()).Succeeds().Content);
        }

        RunResult<ChatMessageContent> run = await h.AskAsync();

        Assert.NotNull(run.Succeeds().Content);
        Assert.Equal(4, h.Requests(Model));
        Assert.Equal(1, h.Emulator.Accounting.Get(h.Groq.Key, Model).RateLimited);
        Assert.Equal([TimeSpan.FromSeconds(30)], run.Delays);
        GroqRequestStatusAssert.Retrying(run.Statuses, "llama-3.3-70b-versatile failed (429 rate limited (requests/minute)); retrying in 30.0 s (attempt 2 of 3)");
    }

    [Fact]
    public async Task RateLimited429_ShouldRetryFalse_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.RateLimitNoRetry), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync(maxTokens: 2512);

        GroqRequestTooLargeException error = run.Fails<GroqRequestTooLargeException>();
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(false, error.Details.ShouldRetry);
        Assert.Equal(
            "The request is larger than the output tokens/minute limit of model 'llama-3.3-70b-versatile' can ever admit (limit 1000, requested 2512). Lower max tokens, or move to a plan with higher limits.",
            error.Message);
        Assert.Equal(1, h.Requests(Model));
        Assert.Empty(run.Delays);
    }

    [Fact]
    public async Task BadRequest400_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();

        RunResult<string> run = await h.PostAsync($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"max_tokens_typo":5}""");

        GroqBadRequestException error = run.Fails<GroqBadRequestException>();
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("Groq rejected the request (400 invalid_request_error): property 'max_tokens_typo' is unsupported", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Fix the request as the message says.", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.RequestId);
        Assert.Equal(1, h.Requests(Model));
    }

    [Fact]
    public async Task InvalidKey401_FailsInOneRoundTrip_WithTheActionableMessage()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.ApiKey = "gsk_wrong_key_0000000000000000000000000000000000000000");

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqAuthenticationException error = run.Fails<GroqAuthenticationException>();
        Assert.Equal("Groq rejected the API key (invalid_api_key). Check GROQ_API_KEY in .env or the environment.", error.Message);
        Assert.DoesNotContain("gsk_wrong", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, h.Emulator.Accounting.RequestsReceived);
        Assert.Equal(1, h.Emulator.Accounting.Unauthorized);
        Assert.Single(h.Wire.Attempts);
        Assert.Empty(run.Delays);
    }

    [Fact]
    public async Task PermissionDenied403_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.PermissionDenied), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqPermissionDeniedException error = run.Fails<GroqPermissionDeniedException>();
        Assert.Equal(403, error.StatusCode);
        Assert.Equal(
            "A proxy in front of Groq blocked the request (403, \"error code: 1010\"); this happens to some default User-Agents. Set Groq:UserAgent to a real product name.",
            error.Message);
        Assert.Equal(1, h.Requests(Model));
    }

    [Fact]
    public async Task ModelNotFound404_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();

        RunResult<ChatMessageContent> run = await h.AskAsync("llama-3.3-70b-versatlie");

        GroqNotFoundException error = run.Fails<GroqNotFoundException>();
        Assert.Equal("model_not_found", error.Kind);
        Assert.Equal(
            "Model 'llama-3.3-70b-versatlie' does not exist or your organization has no access to it (model_not_found). Set Groq:Model (GROQ_MODEL) to one of the models Groq lists for your key (GET /models).",
            error.Message);
        Assert.Equal(1, h.Requests("llama-3.3-70b-versatlie"));
    }

    [Fact]
    public async Task UnknownUrl404_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(baseUrl: g => new Uri(g.Emulator.RootUrl, "openai/v2").AbsoluteUri);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqNotFoundException error = run.Fails<GroqNotFoundException>();
        Assert.Equal("unknown_url", error.Kind);
        Assert.StartsWith("Groq does not know the URL POST http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("/openai/v2/chat/completions (unknown_url). Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1.", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Emulator.Accounting.UnknownUrls);
        Assert.Single(h.Wire.Attempts);
    }

    [Fact]
    public async Task RequestTooLarge413_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(emulator: e => e.Limits[Model] = new Models.ModelLimits(null, null, 100, null));

        RunResult<ChatMessageContent> run = await h.AskAsync(maxTokens: 500);

        GroqRequestTooLargeException error = run.Fails<GroqRequestTooLargeException>();
        Assert.Equal(413, error.StatusCode);
        Assert.Equal(GroqLimitKind.TokensPerMinute, error.Limit);
        Assert.StartsWith("The request is larger than the tokens/minute limit of model 'llama-3.3-70b-versatile' can ever admit (limit 100, requested ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Lower max tokens or shorten the prompt, or move to a plan with higher limits.", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Requests(Model));
    }

    [Fact]
    public async Task Unprocessable422_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.UnprocessableEntity), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqBadRequestException error = run.Fails<GroqBadRequestException>();
        Assert.Equal(422, error.StatusCode);
        Assert.Equal(
            "Groq could not follow the request (422 unprocessable_entity): The request was well-formed but could not be followed due to semantic errors. Adjust the request and try again. "
            + "Change the request (prompt, tools, response format); sending it unchanged will likely fail again.",
            error.Message);
        Assert.Equal(1, h.Requests(Model));
    }

    [Fact]
    public async Task Decommissioned400_IsNotRetried()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();

        RunResult<ChatMessageContent> run = await h.AskAsync("gemma2-9b-it");

        GroqModelDecommissionedException error = run.Fails<GroqModelDecommissionedException>();
        Assert.Equal("Model 'gemma2-9b-it' has been retired (model_decommissioned). Set Groq:Model (GROQ_MODEL) to another model; https://console.groq.com/docs/deprecations names the replacements.", error.Message);
        Assert.Equal(1, h.Requests("gemma2-9b-it"));
    }

    [Fact]
    public async Task ContextLengthExceeded400_IsNotRetried()
    {
        // The server's window is smaller than the client's catalog says, so the local limiter's own check lets the request through.
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(emulator: e => e.Models[ResilienceHarness.Secondary] = new Models.ModelOverride { ContextWindow = 60 });

        RunResult<ChatMessageContent> run = await h.AskAsync(ResilienceHarness.Secondary, maxTokens: 50);

        GroqContextLengthExceededException error = run.Fails<GroqContextLengthExceededException>();
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("The conversation plus the requested max tokens do not fit the context window of model 'llama-3.1-8b-instant' (context_length_exceeded). Shorten the history or lower max tokens.", error.Message);
        Assert.Equal(1, h.Requests(ResilienceHarness.Secondary));
    }

    [Fact]
    public async Task ConnectionResetBeforeHeaders_IsRetriedTwice_ThenThrowsConnectionError()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ConnectionReset), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqConnectionException error = run.Fails<GroqConnectionException>();
        Assert.StartsWith("Could not connect to 127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Check GROQ_BASE_URL", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.Requests(Model));
        Assert.Equal(3, h.Emulator.Accounting.FaultsSent[EmulatorFaultKind.ConnectionReset]);
        Assert.Equal(s_backoff, run.Delays);
    }

    [Fact]
    public async Task HtmlErrorPage502_IsRetriedTwice_ThenThrowsServerErrorNamingTheHtml()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.HtmlErrorPage), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqServerException error = run.Fails<GroqServerException>();
        Assert.Equal(502, error.StatusCode);
        Assert.StartsWith("The server at POST http://127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "/openai/v1/chat/completions failed with 502 and sent an HTML page instead of Groq's JSON error. Try again shortly; if it persists, check GROQ_BASE_URL and https://groqstatus.com.",
            error.Message,
            StringComparison.Ordinal);
        Assert.Equal(3, h.Requests(Model));
        Assert.Equal(s_backoff, run.Delays);
    }

    [Fact]
    public async Task TransientFault_ThenSuccess_AnswersAfterOneRetry()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        Assert.Equal(Model, run.Succeeds().ModelId);
        Assert.Equal(2, h.Requests(Model));
        Assert.Equal([TimeSpan.FromSeconds(0.5)], run.Delays);
        UsageRecord record = await h.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(Model, record.ModelAnswered);
    }

    [Fact]
    public async Task Jitter_ShortensEachBackoffByAtMostAQuarter()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.Resilience.UseJitter = true);
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        run.Fails<GroqServerException>();
        Assert.Equal(2, run.Delays.Count);
        Assert.InRange(run.Delays[0], TimeSpan.FromSeconds(0.375), TimeSpan.FromSeconds(0.5));
        Assert.InRange(run.Delays[1], TimeSpan.FromSeconds(0.75), TimeSpan.FromSeconds(1));
        AssertWireGaps(h, [.. run.Delays]);
    }

    [Fact]
    public async Task MaxRetryAttemptsZero_SendsOnce()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.Resilience.MaxRetryAttempts = 0);
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        run.Fails<GroqServerException>();
        Assert.Equal(1, h.Requests(Model));
    }

    [Fact]
    public async Task ResilienceDisabled_SendsOnce_AndDoesNotFallBack()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o =>
        {
            o.Resilience.Enabled = false;
            o.Fallbacks[Model] = [ResilienceHarness.Secondary];
        });
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Model);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        run.Fails<GroqOverCapacityException>();
        Assert.Equal(1, h.Requests(Model));
        Assert.Equal(0, h.Requests(ResilienceHarness.Secondary));
    }

    private static void AssertWireGaps(ResilienceHarness h, TimeSpan[] delays)
    {
        IReadOnlyList<WireAttempt> attempts = h.Wire.Attempts;
        Assert.Equal(delays.Length + 1, attempts.Count);
        for (int i = 0; i < delays.Length; i++)
        {
            Assert.Equal(delays[i], attempts[i + 1].At - attempts[i].At);
        }
    }
}
