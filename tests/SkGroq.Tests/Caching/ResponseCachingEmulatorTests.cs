using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Caching;
using SkGroq.Context;
using SkGroq.Emulator.Scripting;
using SkGroq.Tests.Integration;
using SkGroq.Usage;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;

namespace SkGroq.Tests.Caching;

/// <summary>The response cache in the full pipeline (AddGroq + Semantic Kernel) against the real emulator.</summary>
public sealed class ResponseCachingEmulatorTests
{
    private const string Model = "llama-3.1-8b-instant";
    private const string Answer = "The capital of France is Paris.";
    private static readonly OpenAIPromptExecutionSettings s_deterministic = new() { Temperature = 0, MaxTokens = 50 };

    [Fact]
    public async Task GetChatMessageContentAsync_HundredConcurrentIdenticalRequests_OneRequestReachesGroq()
    {
        // Groq takes 300 ms to answer, so the hundred arrive while the first is in flight: they wait for it, not for the store.
        await using PipelineHost host = await PipelineHost.StartAsync(emulator: o => o.TimeToFirstToken = TimeSpan.FromMilliseconds(300));
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));

        ChatMessageContent[] answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            host.Chat.GetChatMessageContentAsync(History(), s_deterministic, cancellationToken: TestContext.Current.CancellationToken)));

        Assert.All(answers, a => Assert.Equal(Answer, a.Content));
        Assert.Equal(1, host.Emulator.Accounting.RequestsReceived);
        Assert.Equal(1, host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).Requests);
        ResponseCacheStatistics stats = host.Services.GetRequiredService<IResponseCache>().GetStatistics();
        Assert.Equal((99L, 1L), (stats.Hits, stats.Misses));
        Assert.True(stats.Coalesced > 0, "some requests waited for the one in flight");
        UsageSummary totals = host.Services.GetRequiredService<IUsageLedger>().Totals;
        Assert.Equal(100, totals.Requests);
        Assert.Equal(99, totals.CacheHits);
        Assert.Equal(99 * (48 + 8), totals.TokensSaved);
        Assert.Equal((48L, 8L), (totals.PromptTokens, totals.CompletionTokens));
    }

    [Fact]
    public async Task GetStreamingChatMessageContentsAsync_AfterTheSameQuestionWithoutStreaming_StreamedFromTheCache()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));
        ChatMessageContent first = await host.Chat.GetChatMessageContentAsync(History(), s_deterministic, cancellationToken: TestContext.Current.CancellationToken);

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(History(), s_deterministic, cancellationToken: TestContext.Current.CancellationToken))
        {
            text.Append(update.Content);
            usage = update.Metadata?["Usage"] as ChatTokenUsage ?? usage;
        }

        Assert.Equal(first.Content, text.ToString());
        Assert.NotNull(usage);
        Assert.Equal((48, 8), (usage.InputTokenCount, usage.OutputTokenCount));
        Assert.Equal(1, host.Emulator.Accounting.RequestsReceived);
        UsageRecord record = Assert.Single(scope.Records);
        Assert.True(record.CacheHit);
        Assert.True(record.Streaming);
        Assert.Equal(56, record.TokensSaved);
        Assert.Equal(0, record.BilledPromptTokens + record.BilledCompletionTokens);
    }

    [Fact]
    public async Task GetChatMessageContentAsync_AfterTheSameQuestionStreamed_AnsweredFromTheCache()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));
        var streamed = new StringBuilder();
        await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(History(), s_deterministic, cancellationToken: TestContext.Current.CancellationToken))
        {
            streamed.Append(update.Content);
        }

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());
        ChatMessageContent answer = await host.Chat.GetChatMessageContentAsync(History(), s_deterministic, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Answer, streamed.ToString());
        Assert.Equal(Answer, answer.Content);
        var usage = Assert.IsType<ChatTokenUsage>(answer.Metadata?["Usage"]);
        Assert.Equal((48, 8), (usage.InputTokenCount, usage.OutputTokenCount));
        Assert.Equal(1, host.Emulator.Accounting.RequestsReceived);
        Assert.True(Assert.Single(scope.Records).CacheHit);
    }

    [Fact]
    public async Task SendAsync_StreamingRepeat_ReplaysTheEmulatorsBytesExactly()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));
        string body = """{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"stream":true,"stream_options":{"include_usage":true}}""";

        (HttpResponseMessage first, byte[] original) = await PostAsync(host, body);
        (HttpResponseMessage second, byte[] replayed) = await PostAsync(host, body);

        Assert.Null(CachingHarness.CacheHeader(first));
        Assert.Equal("hit", CachingHarness.CacheHeader(second));
        Assert.Equal(original, replayed);
        Assert.Contains("req_", Encoding.UTF8.GetString(replayed), StringComparison.Ordinal);
        Assert.Equal(1, host.Emulator.Accounting.RequestsReceived);
    }

    [Fact]
    public async Task GetChatMessageContentAsync_DefaultTemperature_NotCached()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text(Answer));

        await host.Chat.GetChatMessageContentAsync(History(), cancellationToken: TestContext.Current.CancellationToken);
        await host.Chat.GetChatMessageContentAsync(History(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, host.Emulator.Accounting.RequestsReceived);
    }

    private static ChatHistory History()
    {
        var history = new ChatHistory("You are a helpful assistant.");
        history.AddUserMessage("What is the capital of France?");
        return history;
    }

    private static async Task<(HttpResponseMessage Response, byte[] Body)> PostAsync(PipelineHost host, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        HttpResponseMessage response = await host.Http.PostAsync("chat/completions", content, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (response, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
