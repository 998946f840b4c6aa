using System.Text;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Scripting;
using SkGroq.Http;
using SkGroq.Usage;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;

namespace SkGroq.Tests.Integration;

/// <summary>Semantic Kernel driven through the real SkGroq pipeline against the real emulator.</summary>
public sealed partial class SemanticKernelPipelineTests
{
    private const string Answer = "The capital of France is Paris.";

    [Fact]
    public async Task GetStreamingChatMessageContentsAsync_ThroughPipeline_StreamsTextAndReportsUsageAndRequestId()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.WhenLastUserMessageContains("capital of France", ScriptedReply.Text(Answer));
        var history = new ChatHistory("You are a helpful assistant.");
        history.AddUserMessage("What is the capital of France?");

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { ConversationId = "c-1" });
        var text = new StringBuilder();
        int chunks = 0;
        ChatTokenUsage? usage = null;
        await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(history, cancellationToken: TestContext.Current.CancellationToken))
        {
            text.Append(update.Content);
            chunks += string.IsNullOrEmpty(update.Content) ? 0 : 1;
            usage = update.Metadata?["Usage"] as ChatTokenUsage ?? usage;
        }

        Assert.Equal(Answer, text.ToString());
        Assert.True(chunks > 1, "the answer arrived in several chunks, token by token");

        // docs/GROQ-API.md §10: this exact prompt is 48 tokens on Llama 3; "The capital of France is Paris." is 7 tokens + <|eot_id|>.
        Assert.NotNull(usage);
        Assert.Equal(48, usage.InputTokenCount);
        Assert.Equal(8, usage.OutputTokenCount);

        UsageRecord record = Assert.Single(scope.Records);
        Assert.Matches(RequestId(), record.RequestId);
        Assert.Equal("c-1", record.ConversationId);
        Assert.True(record.Streaming);
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.Equal(48, record.Usage?.PromptTokens);
        Assert.Equal(8, record.Usage?.CompletionTokens);
        Assert.Equal("stop", record.FinishReason);

        EmulatorUsage charged = host.Emulator.Accounting.Get(host.Emulator.ApiKey, "llama-3.1-8b-instant");
        Assert.Equal(1, charged.Requests);
        Assert.Equal((48, 8), (charged.PromptTokens, charged.CompletionTokens));
    }

    [Fact]
    public async Task GetChatMessageContentAsync_ThroughPipeline_ReturnsTextUsageAndRequestId()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));
        var history = new ChatHistory("You are a helpful assistant.");
        history.AddUserMessage("What is the capital of France?");

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { TenantId = "t-9" });
        ChatMessageContent answer = await host.Chat.GetChatMessageContentAsync(
            history,
            new OpenAIPromptExecutionSettings { ModelId = "llama-3.3-70b-versatile", MaxTokens = 50, Temperature = 0.5 },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Answer, answer.Content);
        var usage = Assert.IsType<ChatTokenUsage>(answer.Metadata?["Usage"]);
        Assert.Equal((48, 8), (usage.InputTokenCount, usage.OutputTokenCount));

        UsageRecord record = Assert.Single(scope.Records);
        Assert.Matches(RequestId(), record.RequestId);
        Assert.False(record.Streaming);
        Assert.Equal("t-9", record.TenantId);
        Assert.Equal("llama-3.3-70b-versatile", record.ModelRequested);
        Assert.Equal("llama-3.3-70b-versatile", record.ModelAnswered);
        Assert.Equal(48, record.EstimatedPromptTokens ?? 48);
        Assert.Equal((48L, 8L), (record.BilledPromptTokens, record.BilledCompletionTokens));

        // Priced model: 48 × $0.59/M + 8 × $0.79/M.
        Assert.Equal(((48 * 0.59m) + (8 * 0.79m)) / 1_000_000m, record.Cost);
    }

    [Fact]
    public async Task TwoCalls_GetDistinctRequestIds_AndReuseOneConnection()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        var connections = host.Services.GetService(typeof(GroqConnectionStats)) as GroqConnectionStats;
        var history = new ChatHistory();
        history.AddUserMessage("Say hello in one sentence.");

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());
        await host.Chat.GetChatMessageContentAsync(history, cancellationToken: TestContext.Current.CancellationToken);
        await host.Chat.GetChatMessageContentAsync(history, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, scope.Records.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(1, connections?.ConnectionsOpened);
    }

    [Fact]
    public async Task SynchronousSend_IsRefusedInsteadOfBypassingThePipeline()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = new StringContent("""{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };

        var ex = Assert.Throws<NotSupportedException>(() => host.Http.Send(request, TestContext.Current.CancellationToken));

        Assert.Contains("Use SendAsync", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Emulator.Accounting.RequestsReceived);
    }

    [GeneratedRegex("^req_[0-9a-z]{26}$")]
    private static partial Regex RequestId();
}
