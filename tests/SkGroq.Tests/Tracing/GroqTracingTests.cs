using System.Diagnostics;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;
using SkGroq.Tests.Integration;
using SkGroq.Tracing;

namespace SkGroq.Tests.Tracing;

/// <summary>The span trees the pipeline emits (listened to in-process), for each way a request can go; never the key.</summary>
public sealed class GroqTracingTests : IDisposable
{
    private const string Model = "llama-3.1-8b-instant";
    private const string Secondary = "llama-3.3-70b-versatile";
    private readonly List<Activity> _spans = [];
    private readonly Lock _gate = new();
    private readonly ActivityListener _listener;

    public GroqTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GroqTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (_gate)
                {
                    _spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task PlainAnswer_OneChatSpanWithGenAiTags_AndOneAttempt()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text("Paris."));

        await host.Chat.GetChatMessageContentAsync(History("Capital of France?"), Settings(), cancellationToken: Ct);

        (Activity request, List<Activity> attempts) = Tree(host);
        Assert.Equal($"chat {Model}", request.DisplayName);
        Assert.Equal(ActivityKind.Client, request.Kind);
        Assert.Equal("chat", request.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("groq", request.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(Model, request.GetTagItem("gen_ai.request.model"));
        Assert.Equal(Model, request.GetTagItem("gen_ai.response.model"));
        Assert.Equal("127.0.0.1", request.GetTagItem("server.address"));
        Assert.Equal(host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).PromptTokens, Convert.ToInt64(request.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith("req_", (string?)request.GetTagItem("gen_ai.response.id"), StringComparison.Ordinal);
        Assert.Equal("stop", Assert.Single((string[])request.GetTagItem("gen_ai.response.finish_reasons")!));
        Assert.Equal(ActivityStatusCode.Unset, request.Status);
        Activity attempt = Assert.Single(attempts);
        Assert.Equal(200, attempt.GetTagItem("http.response.status_code"));
        AssertNoKey(host);
    }

    [Fact]
    public async Task RetryAfterA429WithRetryAfter_TwoAttempts_AndARetryEventSayingTheServerChoseTheDelay()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text("ok"));
        host.Emulator.Faults.Next(EmulatorFault.Parse("429-tpm"));

        await host.Chat.GetChatMessageContentAsync(History("hi"), Settings(), cancellationToken: Ct);

        (Activity request, List<Activity> attempts) = Tree(host);
        Assert.Equal([429, 200], attempts.Select(a => (int)a.GetTagItem("http.response.status_code")!));
        Assert.Equal("rate_limited", attempts[0].GetTagItem("error.type"));
        ActivityEvent retry = Assert.Single(request.Events, e => e.Name == "skgroq.retry");
        Assert.Equal("retry-after", Tag(retry, "skgroq.delay_basis"));
        Assert.True((double)Tag(retry, "skgroq.wait_ms")! >= 1000);
        Assert.Equal(2, request.GetTagItem("skgroq.attempts"));
        AssertNoKey(host);
    }

    [Fact]
    public async Task ServerError_RetriedWithBackoff_ThenFallback_EventsSayWhy()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(groq: o =>
        {
            o.Resilience.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Resilience.MaxRetryAttempts = 1;
            o.Fallbacks[Model] = [Secondary];
        });
        host.Emulator.Script.Always(ScriptedReply.Text("from the secondary"));
        host.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), model: Model);

        ChatMessageContent answer = await host.Chat.GetChatMessageContentAsync(History("hi"), Settings(), cancellationToken: Ct);

        (Activity request, List<Activity> attempts) = Tree(host);
        Assert.Equal(Secondary, answer.ModelId);
        Assert.Equal(Secondary, request.GetTagItem("gen_ai.response.model"));
        Assert.Contains(request.Events, e => e.Name == "skgroq.retry" && (string?)Tag(e, "skgroq.delay_basis") == "backoff");
        ActivityEvent fallback = Assert.Single(request.Events, e => e.Name == "skgroq.fallback");
        Assert.Equal(Secondary, Tag(fallback, "skgroq.model"));
        Assert.Contains(attempts, a => (string?)a.GetTagItem("gen_ai.request.model") == Secondary && (int)a.GetTagItem("http.response.status_code")! == 200);
        AssertNoKey(host);
    }

    [Fact]
    public async Task QueuedAnswer_TheSpanSaysWhichLimitHeldItAndForHowLong()
    {
        // One request a minute on the client side: the second waits in the queue (and is cancelled there, so the test does not wait a minute).
        await using PipelineHost host = await PipelineHost.StartAsync(groq: o =>
        {
            o.RequestTimeout = TimeSpan.FromMinutes(10);
            o.Models[Model] = new SkGroq.Models.ModelOverride { RequestsPerMinute = 1 };
        });
        host.Emulator.Script.Always(ScriptedReply.Text("ok"));
        await host.Chat.GetChatMessageContentAsync(History("first"), Settings(), cancellationToken: Ct);
        ClearSpans();

        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = new SynchronousProgress(s => { if (s.Phase == GroqRequestPhase.Queued) { queued.TrySetResult(); } }) }))
        {
            Task second = host.Chat.GetChatMessageContentAsync(History("second"), Settings(), cancellationToken: caller.Token);
            await queued.Task.WaitAsync(Ct);
            await caller.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        }

        (Activity request, List<Activity> attempts) = Tree(host);
        ActivityEvent wait = Assert.Single(request.Events, e => e.Name == "skgroq.queued");
        Assert.Equal("requests/minute", Tag(wait, "skgroq.limit"));
        Assert.True((double)Tag(wait, "skgroq.wait_ms")! > 1000);
        Assert.Empty(attempts);
        Assert.Equal("cancelled", request.GetTagItem("error.type"));
    }

    [Fact]
    public async Task CacheHit_IsAnEventOnTheSpan_WithNoAttemptSent()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text("cached answer"));
        using (GroqRequestContext.Begin(new GroqRequestOptions { Cache = GroqCacheMode.Enabled }))
        {
            await host.Chat.GetChatMessageContentAsync(History("same question"), Settings(), cancellationToken: Ct);
            ClearSpans();
            await host.Chat.GetChatMessageContentAsync(History("same question"), Settings(), cancellationToken: Ct);
        }

        (Activity request, List<Activity> attempts) = Tree(host);
        Assert.Empty(attempts);
        Assert.Contains(request.Events, e => e.Name == "skgroq.cache_hit");
        Assert.Equal(true, request.GetTagItem("skgroq.cache_hit"));
    }

    [Fact]
    public async Task MidStreamError_AndCancelledStream_EndTheSpanWithTheErrorType_AndFirstTokenIsAnEvent()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        host.Emulator.Script.Always(ScriptedReply.Text("one two three four five six seven eight nine ten"));
        host.Emulator.Faults.Next(EmulatorFault.Parse("error-event;after=2;status=503"));

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (StreamingChatMessageContent _ in host.Chat.GetStreamingChatMessageContentsAsync(History("count"), Settings(), cancellationToken: Ct))
            {
            }
        });
        (Activity failed, _) = Tree(host);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.NotNull(failed.GetTagItem("error.type"));
        Assert.Contains(failed.Events, e => e.Name == "gen_ai.first_token");

        ClearSpans();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (StreamingChatMessageContent _ in host.Chat.GetStreamingChatMessageContentsAsync(History("count again"), Settings(), cancellationToken: cancel.Token))
            {
                cancel.Cancel();
            }
        });
        (Activity cancelled, _) = Tree(host);
        Assert.Equal("cancelled", cancelled.GetTagItem("error.type"));
        AssertNoKey(host);
    }

    private static ChatHistory History(string question)
    {
        var history = new ChatHistory();
        history.AddUserMessage(question);
        return history;
    }

    private static OpenAIPromptExecutionSettings Settings() => new() { ModelId = Model };

    private sealed class SynchronousProgress(Action<GroqRequestStatus> report) : IProgress<GroqRequestStatus>
    {
        public void Report(GroqRequestStatus value) => report(value);
    }

    private static object? Tag(ActivityEvent e, string key) => e.Tags.FirstOrDefault(t => t.Key == key).Value;

    private (Activity Request, List<Activity> Attempts) Tree(PipelineHost host)
    {
        lock (_gate)
        {
            // Only this test's emulator: tests of other classes run in parallel and their spans reach the listener too.
            Activity request = Assert.Single(_spans, s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem("server.port"), host.Emulator.BaseUrl.Port));
            return (request, _spans.Where(s => s.ParentSpanId == request.SpanId).OrderBy(s => s.StartTimeUtc).ToList());
        }
    }

    private void ClearSpans()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    private void AssertNoKey(PipelineHost host)
    {
        string key = host.Emulator.ApiKey;
        lock (_gate)
        {
            foreach (Activity span in _spans)
            {
                IEnumerable<string?> values = span.TagObjects.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture))
                    .Concat(span.Events.SelectMany(e => e.Tags.Select(t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture))))
                    .Append(span.DisplayName);
                Assert.All(values, v => Assert.DoesNotContain(key, v ?? string.Empty, StringComparison.Ordinal));
            }
        }
    }
}
