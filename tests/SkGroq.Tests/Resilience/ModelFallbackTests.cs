using Microsoft.SemanticKernel;
using SkGroq.Context;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.Usage;

namespace SkGroq.Tests.Resilience;

/// <summary>Model fallback through the full pipeline against the emulator: which model answers, what was sent, what is recorded.</summary>
public sealed class ModelFallbackTests
{
    private const string Primary = ResilienceHarness.Primary;
    private const string Secondary = ResilienceHarness.Secondary;
    private const string Tertiary = ResilienceHarness.Tertiary;

    [Fact]
    public async Task OverCapacity_AfterRetries_NextModelAnswers_WithTheRequestOtherwiseByteIdentical()
    {
        await using ResilienceHarness h = await StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Primary);
        var received = new List<string>();
        h.Emulator.Script.When(r => Capture(received, r), ScriptedReply.Text("unused"));

        RunResult<ChatMessageContent> run = await h.AskAsync();

        ChatMessageContent answer = run.Succeeds();
        Assert.Equal(Secondary, answer.ModelId);
        Assert.Equal(3, h.Requests(Primary));
        Assert.Equal(1, h.Requests(Secondary));
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)], run.Delays);

        IReadOnlyList<WireAttempt> wire = h.Wire.Attempts;
        Assert.Equal([Primary, Primary, Primary, Secondary], wire.Select(a => a.Model));
        Assert.Equal(wire[0].Text, wire[1].Text);
        Assert.Equal(wire[0].Text.Replace($"\"model\":\"{Primary}\"", $"\"model\":\"{Secondary}\"", StringComparison.Ordinal), wire[3].Text);
        Assert.Equal(wire[3].Text, Assert.Single(received));

        Assert.Contains(run.Statuses, s => s.Phase == GroqRequestPhase.FallingBack && s.Model == Secondary
            && s.Message == "llama-3.3-70b-versatile unavailable (503 over capacity); answering with llama-3.1-8b-instant");
        UsageRecord record = await h.Ledger.NextAsync();
        Assert.Equal(Primary, record.ModelRequested);
        Assert.Equal(Secondary, record.ModelAnswered);
        Assert.Equal("503 over capacity", record.FallbackReason);
        Assert.Equal(4, record.Attempts);
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.NotNull(record.Usage);
    }

    [Fact]
    public async Task OverCapacity_Streaming_NextModelStreamsTheAnswer_AndTheRecordSaysWhichModelAnswered()
    {
        await using ResilienceHarness h = await StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Primary);
        h.Emulator.Script.Always(ScriptedReply.Text("Paris."));

        RunResult<string> run = await h.StreamAsync();

        Assert.Equal("Paris.", run.Succeeds());
        Assert.Equal(3, h.Requests(Primary));
        Assert.Equal(1, h.Requests(Secondary));
        UsageRecord record = await h.Ledger.NextAsync();
        Assert.Equal(Primary, record.ModelRequested);
        Assert.Equal(Secondary, record.ModelAnswered);
        Assert.Equal("503 over capacity", record.FallbackReason);
        Assert.True(record.Streaming);
    }

    [Fact]
    public async Task OverCapacity_Streaming_EveryUpdateNamesTheModelThatAnswered()
    {
        await using ResilienceHarness h = await StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Primary);
        h.Emulator.Script.Always(ScriptedReply.Text("Paris is the capital of France."));

        RunResult<List<string?>> run = await h.RunAsync(async ct =>
        {
            var models = new List<string?>();
            await foreach (StreamingChatMessageContent update in h.Chat.GetStreamingChatMessageContentsAsync(ResilienceHarness.Question(), ResilienceHarness.Settings(), cancellationToken: ct))
            {
                models.Add(update.ModelId);
            }

            return models;
        }, cancellationToken: TestContext.Current.CancellationToken);

        // The first visible update and every one after it (which pass straight through) carry the model that answered.
        List<string?> models = run.Succeeds();
        Assert.True(models.Count > 3, $"the answer came in {models.Count} updates");
        Assert.All(models, model => Assert.Equal(Secondary, model));
    }

    [Fact]
    public async Task EveryModelFails_ThrowsFallbackExhausted_ListingWhatEachModelSaid()
    {
        await using ResilienceHarness h = await StartAsync();
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Primary);
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), Secondary);
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.BadGateway), Tertiary);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqFallbackExhaustedException error = run.Fails<GroqFallbackExhaustedException>();
        Assert.Equal([Primary, Secondary, Tertiary], error.Failures.Select(f => f.Model));
        Assert.IsType<GroqOverCapacityException>(error.Failures[0]);
        Assert.Same(error.Failures[0], error.InnerException);
        Assert.Equal(503, error.StatusCode);
        Assert.Equal("fallback_exhausted", error.Kind);
        Assert.StartsWith("Every model tried for this request failed (3 models): llama-3.3-70b-versatile — Model 'llama-3.3-70b-versatile' is unavailable right now (503)", error.Message, StringComparison.Ordinal);
        Assert.Contains(" llama-3.1-8b-instant — Groq failed with 500 (internal_server_error): Internal Server Error.", error.Message, StringComparison.Ordinal);
        Assert.Contains(" openai/gpt-oss-20b — Groq failed with 502 (internal_server_error): Bad Gateway.", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("All failures look temporary: try again shortly; https://groqstatus.com shows incidents.", error.Message, StringComparison.Ordinal);
        Assert.Equal(9, h.Wire.Attempts.Count);
        Assert.Equal(6, run.Delays.Count);
        Assert.Equal("fallback_exhausted", (await h.Ledger.NextAsync()).ErrorKind);
    }

    [Fact]
    public async Task Decommissioned_FallsBackAtOnce_WithoutRetrying()
    {
        await using ResilienceHarness h = await StartAsync(o => o.Fallbacks["gemma2-9b-it"] = [Secondary]);

        RunResult<ChatMessageContent> run = await h.AskAsync("gemma2-9b-it");

        Assert.Equal(Secondary, run.Succeeds().ModelId);
        Assert.Equal(1, h.Requests("gemma2-9b-it"));
        Assert.Equal(1, h.Requests(Secondary));
        Assert.Empty(run.Delays);
        Assert.Equal("400 model_decommissioned", (await h.Ledger.NextAsync()).FallbackReason);
    }

    [Fact]
    public async Task ModelNotFound_FallsBackAtOnce()
    {
        await using ResilienceHarness h = await StartAsync(o => o.Fallbacks["llama-9-preview"] = [Secondary]);

        RunResult<ChatMessageContent> run = await h.AskAsync("llama-9-preview");

        Assert.Equal(Secondary, run.Succeeds().ModelId);
        Assert.Equal(1, h.Requests("llama-9-preview"));
        Assert.Equal("404 model_not_found", (await h.Ledger.NextAsync()).FallbackReason);
    }

    [Fact]
    public async Task RequestError_IsNotFallenBack()
    {
        await using ResilienceHarness h = await StartAsync(o => o.ApiKey = "gsk_wrong_key_0000000000000000000000000000000000000000");

        RunResult<ChatMessageContent> run = await h.AskAsync();

        run.Fails<GroqAuthenticationException>();
        Assert.Single(h.Wire.Attempts);
        Assert.DoesNotContain(run.Statuses, s => s.Phase == GroqRequestPhase.FallingBack);
    }

    [Fact]
    public async Task OpenCircuit_FailsFastWithoutSending_AndTheNextModelAnswers()
    {
        await using ResilienceHarness h = await StartAsync(o =>
        {
            o.Resilience.CircuitBreaker.MinimumThroughput = 2;
            o.Resilience.CircuitBreaker.FailureRatio = 0.5;
        });
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), Primary);

        // Two failed attempts open the circuit; the retry then stops (the next attempt would only be refused) and the request falls back.
        RunResult<ChatMessageContent> first = await h.AskAsync();
        Assert.Equal(Secondary, first.Succeeds().ModelId);
        Assert.Equal(2, h.Requests(Primary));
        Assert.Equal([TimeSpan.FromSeconds(0.5)], first.Delays);
        Assert.Equal("500 server error", (await h.Ledger.NextAsync()).FallbackReason);

        // While open, nothing reaches the primary model.
        RunResult<ChatMessageContent> second = await h.AskAsync();
        Assert.Equal(Secondary, second.Succeeds().ModelId);
        Assert.Equal(2, h.Requests(Primary));
        Assert.Equal(2, h.Requests(Secondary));
        Assert.Empty(second.Delays);
        Assert.Equal("circuit open after repeated failures", (await h.Ledger.NextAsync()).FallbackReason);
    }

    [Fact]
    public async Task OpenCircuit_WithoutFallback_SaysWhatToDo()
    {
        await using ResilienceHarness h = await ResilienceHarness.StartAsync(o =>
        {
            o.Resilience.CircuitBreaker.MinimumThroughput = 2;
            o.Resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        });
        h.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.InternalServerError), Primary);

        // The first request opens the circuit (its last error is the 500); the next one is refused unsent.
        Assert.IsType<GroqServerException>((await h.AskAsync()).Error);
        RunResult<ChatMessageContent> run = await h.AskAsync();

        GroqCircuitOpenException error = run.Fails<GroqCircuitOpenException>();
        Assert.Equal(2, h.Requests(Primary));
        Assert.Equal(
            "Not sent: too many recent requests to model 'llama-3.3-70b-versatile' failed (last: 500 server error), so SkGroq stops sending to it for another 15.0 s (circuit open). "
            + "Try again then, or configure Groq:Fallbacks:llama-3.3-70b-versatile so another model answers meanwhile.",
            error.Message);
        Assert.Equal(TimeSpan.FromSeconds(15), error.RetryAfter);
        Assert.IsType<GroqServerException>(error.BreakingError);
    }

    [Fact]
    public async Task FlexCapacity498_IsSentAgainAsOnDemandAtOnce_WithOnlyTheTierChanged()
    {
        await using ResilienceHarness h = await StartAsync();
        h.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.CapacityExceeded), Primary);
        string body = $$"""{"messages":[{"role":"user","content":"Caf\u00e9 \"quoted\""}],"service_tier":"flex","model":"{{Primary}}","temperature":0}""";

        RunResult<string> run = await h.PostAsync(body);

        Assert.Contains($"\"model\":\"{Primary}\"", run.Succeeds(), StringComparison.Ordinal);
        IReadOnlyList<WireAttempt> wire = h.Wire.Attempts;
        Assert.Equal(2, wire.Count);
        Assert.Equal(body, wire[0].Text);
        Assert.Equal(body.Replace("\"service_tier\":\"flex\"", "\"service_tier\":\"on_demand\"", StringComparison.Ordinal), wire[1].Text);
        Assert.Empty(run.Delays);
        Assert.Contains(run.Statuses, s => s.Phase == GroqRequestPhase.FallingBack && s.Message.Contains("sending again as on_demand", StringComparison.Ordinal));
        Assert.Equal(0, h.Requests(Secondary));
    }

    [Fact]
    public async Task RetryWouldEndPastTheDeadline_StopsAndFallsBackAtOnce()
    {
        // Two requests per minute on the primary model: the third gets "try again in 30s", longer than the 20 s deadline.
        await using ResilienceHarness h = await StartAsync(
            o => o.RequestTimeout = TimeSpan.FromSeconds(20),
            e => e.Limits[Primary] = new Models.ModelLimits(2, null, null, null));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(Primary, (await h.AskAsync()).Succeeds().ModelId);
        }

        RunResult<ChatMessageContent> run = await h.AskAsync();

        Assert.Equal(Secondary, run.Succeeds().ModelId);
        Assert.Equal(3, h.Requests(Primary));
        Assert.Empty(run.Delays);
        Assert.Equal("429 rate limited (requests/minute)", h.Ledger.Records[^1].FallbackReason);
    }

    [Fact]
    public async Task LocalLimiterCannotAdmitBeforeTheDeadline_FallsBackWithoutSendingToThePrimary()
    {
        // The client's own limits: one request per minute on the primary model, so the second cannot go before its 20 s deadline.
        await using ResilienceHarness h = await StartAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(20);
            o.Models[Primary] = new Models.ModelOverride { RequestsPerMinute = 1 };
        });
        Assert.Equal(Primary, (await h.AskAsync()).Succeeds().ModelId);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        Assert.Equal(Secondary, run.Succeeds().ModelId);
        Assert.Equal(1, h.Requests(Primary));
        Assert.Equal(1, h.Requests(Secondary));
        UsageRecord record = h.Ledger.Records[^1];
        Assert.Equal(Secondary, record.ModelAnswered);
        Assert.Equal("no requests/minute quota before the deadline", record.FallbackReason);
    }

    [Fact]
    public async Task MalformedJsonBody_IsSentUnchanged_AndErrorsAreNotFallenBack()
    {
        await using ResilienceHarness h = await StartAsync();

        RunResult<string> run = await h.PostAsync("{\"model\":");

        run.Fails<GroqBadRequestException>();
        Assert.Equal("{\"model\":", Assert.Single(h.Wire.Attempts).Text);
    }

    [Fact]
    public async Task FlexCapacity498_ModelWithoutFallbackChain_IsStillSentAgainAsOnDemand()
    {
        // No chain for the model: the handler hands most requests straight on, but not one that may go on demand.
        await using ResilienceHarness h = await StartAsync(o => o.Fallbacks.Clear());
        h.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.CapacityExceeded), Primary);
        string body = $$"""{"messages":[{"role":"user","content":"hi"}],"model":"{{Primary}}","service_tier":"flex","temperature":0}""";

        RunResult<string> run = await h.PostAsync(body);

        Assert.Contains($"\"model\":\"{Primary}\"", run.Succeeds(), StringComparison.Ordinal);
        IReadOnlyList<WireAttempt> wire = h.Wire.Attempts;
        Assert.Equal(2, wire.Count);
        Assert.Contains("\"service_tier\":\"on_demand\"", wire[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverCapacity_ModelWithoutFallbackChain_IsRetriedOnTheSameModel()
    {
        await using ResilienceHarness h = await StartAsync(o => o.Fallbacks.Clear());
        h.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), Primary);

        RunResult<ChatMessageContent> run = await h.AskAsync();

        Assert.Equal(Primary, run.Succeeds().ModelId);
        Assert.Equal(2, h.Requests(Primary));
        Assert.Equal(0, h.Requests(Secondary));
        Assert.DoesNotContain(run.Statuses, s => s.Phase == GroqRequestPhase.FallingBack);
    }

    private static Task<ResilienceHarness> StartAsync(Action<SkGroq.Configuration.GroqOptions>? configure = null, Action<SkGroq.Emulator.GroqEmulatorOptions>? emulator = null)
        => ResilienceHarness.StartAsync(
            o =>
            {
                o.Fallbacks[Primary] = [Secondary, Tertiary];
                configure?.Invoke(o);
            },
            emulator);

    private static bool Capture(List<string> bodies, EmulatorRequest request)
    {
        lock (bodies)
        {
            bodies.Add(request.Body);
        }

        return false;
    }
}
