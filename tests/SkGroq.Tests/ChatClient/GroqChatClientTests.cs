using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.ChatClient;
using SkGroq.Context;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.Tests.Integration;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using MeaiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace SkGroq.Tests.ChatClient;

/// <summary>SkGroq as Microsoft.Extensions.AI's <see cref="IChatClient"/>, against the emulator on loopback through the real pipeline.</summary>
public sealed class GroqChatClientTests
{
    private const string Model = "llama-3.1-8b-instant";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponse_AnswersThroughThePipeline_WithGroqsExactUsageAndRequestId()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient(Model));
        host.Emulator.Script.Always(ScriptedReply.Text("Paris."));
        IChatClient client = host.Services.GetRequiredService<IChatClient>();

        ChatResponse response = await client.GetResponseAsync("What is the capital of France?", cancellationToken: Ct);

        EmulatorUsage charged = host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model);
        Assert.Equal("Paris.", response.Text);
        Assert.Equal(Model, response.ModelId);
        Assert.Equal(charged.PromptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(charged.CompletionTokens, response.Usage.OutputTokenCount);
        Assert.StartsWith("req_", (string)response.AdditionalProperties![GroqChatOptionKeys.RequestId]!, StringComparison.Ordinal);
        Assert.Equal(false, response.AdditionalProperties[GroqChatOptionKeys.CacheHit]);
        // Groq's extras the SDK's model does not know stay readable on the raw completion.
        var raw = Assert.IsType<OpenAI.Chat.ChatCompletion>(response.RawRepresentation);
#pragma warning disable SCME0001 // JsonPatch: the SDK's access to properties its model does not have.
        Assert.True(raw.Patch.Contains("$.x_groq"u8));
        Assert.StartsWith("req_", raw.Patch.GetString("$.x_groq.id"u8), StringComparison.Ordinal);
#pragma warning restore SCME0001
    }

    [Fact]
    public async Task GetStreamingResponse_StreamsUpdates_TheLastCarriesUsageAndRequestId_AndCancellationStopsIt()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient(Model));
        host.Emulator.Script.Always(ScriptedReply.Text("One two three four five six seven eight."));
        IChatClient client = host.Services.GetRequiredService<IChatClient>();

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Count.", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        ChatResponse combined = updates.ToChatResponse();
        Assert.Equal("One two three four five six seven eight.", combined.Text);
        Assert.True(updates.Count > 3);
        Assert.Equal(host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).CompletionTokens, combined.Usage!.OutputTokenCount);
        Assert.True(updates[^1].AdditionalProperties!.ContainsKey(GroqChatOptionKeys.RequestId));

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Count again.", new ChatOptions { AdditionalProperties = new() { [GroqChatOptionKeys.Cache] = "Disabled" } }, cancel.Token))
            {
                cancel.Cancel();
            }
        });
        // A stream the caller stops is recorded as incomplete, cancelled, with the tokens received so far.
        SkGroq.Usage.UsageRecord cancelled = Assert.Single(scope.Records);
        Assert.Equal((SkGroq.Usage.UsageOutcome.Incomplete, "cancelled"), (cancelled.Outcome, cancelled.ErrorKind));
    }

    [Fact]
    public async Task UseFunctionInvocation_ScriptedToolCall_RunsTheFunctionAndSumsTheTurnsUsage()
    {
        int calls = 0;
        AIFunction weather = AIFunctionFactory.Create((string city) => { calls++; return $"Sunny in {city}"; }, "get_weather", "Gets the weather of a city.");
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient(Model).UseFunctionInvocation());
        host.Emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("get_weather", """{"city":"Oslo"}"""));
        host.Emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text("It is sunny in Oslo."));
        IChatClient client = host.Services.GetRequiredService<IChatClient>();

        ChatResponse response = await client.GetResponseAsync("Weather in Oslo?", new ChatOptions { Tools = [weather] }, Ct);

        EmulatorUsage charged = host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model);
        Assert.Equal("It is sunny in Oslo.", response.Text);
        Assert.Equal(1, calls);
        Assert.Equal(2, charged.Requests);
        Assert.Equal(charged.PromptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(charged.CompletionTokens, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task AdditionalProperties_TagTheUsageRecord_AndGroqParametersReachTheWire()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient());
        string? body = null;
        host.Emulator.Script.When(r => { body = r.Body; return true; }, ScriptedReply.Text("ok"));
        IChatClient client = host.Services.GetRequiredService<IChatClient>();
        using GroqRequestScope outer = GroqRequestContext.Begin(new GroqRequestOptions());

        await client.GetResponseAsync(
            [new MeaiChatMessage(MeaiChatRole.User, "hi")],
            new ChatOptions
            {
                ModelId = "qwen/qwen3-32b",
                MaxOutputTokens = 20,
                ConversationId = "c-9",
                AdditionalProperties = new()
                {
                    [GroqChatOptionKeys.Tenant] = "acme",
                    [GroqChatOptionKeys.Feature] = "search",
                    [GroqChatOptionKeys.Priority] = GroqPriority.Background,
                    [GroqChatOptionKeys.ReasoningFormat] = "hidden",
                    [GroqChatOptionKeys.ReasoningEffort] = "none",
                    [GroqChatOptionKeys.ServiceTier] = "on_demand",
                },
            },
            Ct);

        SkGroq.Usage.UsageRecord record = Assert.Single(outer.Records);
        Assert.Equal(("acme", "search", "c-9", "qwen/qwen3-32b"), (record.TenantId, record.Feature, record.ConversationId, record.ModelRequested));
        Assert.Contains("\"reasoning_format\":\"hidden\"", body, StringComparison.Ordinal);
        Assert.Contains("\"reasoning_effort\":\"none\"", body, StringComparison.Ordinal);
        Assert.Contains("\"service_tier\":\"on_demand\"", body, StringComparison.Ordinal);
        Assert.Contains("\"max_completion_tokens\":20", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_SurfaceAsTheLibrarysTypedExceptions_AndABadOptionIsNamed()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient());
        IChatClient client = host.Services.GetRequiredService<IChatClient>();

        var notFound = await Assert.ThrowsAnyAsync<GroqException>(() => client.GetResponseAsync("hi", new ChatOptions { ModelId = "no-such-model" }, Ct));
        var badOption = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", new ChatOptions { AdditionalProperties = new() { [GroqChatOptionKeys.Priority] = "urgent" } }, Ct));

        Assert.Contains("no-such-model", notFound.Message, StringComparison.Ordinal);
        Assert.Contains("is not one of Interactive, Background", badOption.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Middleware_OpenTelemetryAndLoggingComposeOnTop_AndEmitTheirSpan()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "skgroq-tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient(Model).UseLogging().UseOpenTelemetry(sourceName: "skgroq-tests"));
        host.Emulator.Script.Always(ScriptedReply.Text("Hello."));

        ChatResponse response = await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal("Hello.", response.Text);
        Activity span = Assert.Single(spans);
        Assert.Equal($"chat {Model}", span.DisplayName);
        Assert.Equal(response.Usage!.InputTokenCount, Convert.ToInt64(span.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SemanticKernel_AKernelOnThisChatClient_AnswersLikeTheConnectorPath()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(services: s => s.AddGroqChatClient(Model));
        host.Emulator.Script.Always(ScriptedReply.Text("Four."));
        IKernelBuilder builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(host.Services.GetRequiredService<IChatClient>().AsChatCompletionService());
        Kernel onChatClient = builder.Build();
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());

        FunctionResult fromChatClient = await onChatClient.InvokePromptAsync("2+2?", cancellationToken: Ct);
        FunctionResult fromConnector = await host.Kernel.InvokePromptAsync("2+2?", cancellationToken: Ct);

        Assert.Equal(fromConnector.ToString(), fromChatClient.ToString());
        Assert.Equal(2, host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).Requests);
        Assert.Equal(2, scope.Records.Count);
        Assert.Equal(scope.Records[0].Usage!.TotalTokens, scope.Records[1].Usage!.TotalTokens);
    }
}
