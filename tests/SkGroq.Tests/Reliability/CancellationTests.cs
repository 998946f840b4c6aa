using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Emulator;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Faults;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.Tests.Context;
using SkGroq.Tests.Inspection;
using SkGroq.Tests.Integration;
using SkGroq.Tests.RateLimiting;
using SkGroq.Tests.Usage;
using SkGroq.Usage;

namespace SkGroq.Tests.Reliability;

/// <summary>
/// A caller cancelling through Semantic Kernel and the full pipeline — while queued for quota, while the request is being sent,
/// and mid-stream — gets <see cref="OperationCanceledException"/>, its quota reservation is freed, one usage record keeps what
/// was known so far (cancelled before the answer; incomplete, with the chunks that arrived, after it started), and nothing is left running (no waiter in the queue, no pending send, the server's stream ended).
/// </summary>
public sealed class CancellationTests
{
    private const string Model = "llama-3.1-8b-instant";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CancelWhileQueued_LeavesTheQueueAtOnce_NeverSends_AndRecordsACancelledRequest()
    {
        // One request a minute on the client side: the second waits in the queue.
        var parts = new Parts();
        await using PipelineHost host = await parts.StartAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromMinutes(10);
            o.Models[Model] = new ModelOverride { RequestsPerMinute = 1 };
        });
        await host.Chat.GetChatMessageContentAsync(History("First."), cancellationToken: Ct);
        await parts.Ledger.NextAsync();
        QuotaLimiter limiter = host.Services.GetRequiredService<QuotaLimiter>();
        QuotaKey key = Key(host);

        var status = new StatusRecorder();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<ChatMessageContent> queued;
        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = status }))
        {
            queued = host.Chat.GetChatMessageContentAsync(History("Second."), cancellationToken: caller.Token);
        }

        while ((await status.Pending.ReadAsync(Ct)).Phase != GroqRequestPhase.Queued)
        {
        }

        Assert.Equal(1, limiter.GetQueueLength(key));
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, limiter.GetQueueLength(key));
        UsageRecord record = await parts.Ledger.NextAsync();
        Assert.Equal((UsageOutcome.Cancelled, 0, (GroqUsage?)null), (record.Outcome, record.Attempts, record.Usage));
        Assert.Equal(0, parts.Store.InFlight);
        QuotaSnapshot quota = await parts.Store.GetSnapshotAsync(key, Ct);
        Assert.Equal((1L, 0, 0L), (quota.RequestsPerMinute.Used, quota.InFlightRequests, quota.InFlightTokens));
        Assert.Equal(1, host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model).Requests);
    }

    [Fact]
    public async Task CancelWhileSending_ReleasesTheReservation_EndsTheSend_AndRecordsACancelledAttempt()
    {
        var parts = new Parts();
        StubHttpHandler stub = new StubHttpHandler().Hang();
        await using PipelineHost host = await parts.StartAsync(services: s => s.AddHttpClient(GroqDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub));
        QuotaKey key = Key(host);
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task entered = stub.Entered.Task;
        Task<ChatMessageContent> sending = host.Chat.GetChatMessageContentAsync(History("Hello?"), new OpenAIPromptExecutionSettings { MaxTokens = 100 }, cancellationToken: caller.Token);
        await entered.WaitAsync(Ct);
        QuotaSnapshot reserved = await parts.Store.GetSnapshotAsync(key, Ct);
        Assert.Equal(1, reserved.InFlightRequests);
        Assert.True(reserved.InFlightTokens >= 100);
        Task freed = parts.FreedAsync();

        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        UsageRecord record = await parts.Ledger.NextAsync();
        Assert.Equal((UsageOutcome.Cancelled, 1, (GroqUsage?)null), (record.Outcome, record.Attempts, record.Usage));
        Assert.True(record.EstimatedPromptTokens > 0);
        await freed.WaitAsync(Ct);
        QuotaSnapshot after = await parts.Store.GetSnapshotAsync(key, Ct);
        Assert.Equal((0, 0L, 0L), (after.InFlightRequests, after.InFlightTokens, after.TokensPerMinute.Used));
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task CancelMidStream_SettlesTheReservation_RecordsTheChunksSoFar_AndTheServersStreamEnds()
    {
        var parts = new Parts();
        var emulatorLog = new SignalingLoggerFactory();
        await using PipelineHost host = await parts.StartAsync(emulator: o => o.LoggerFactory = emulatorLog);
        host.Emulator.Faults.Next(EmulatorFault.Parse("stall;after=2;seconds=600"));
        QuotaKey key = Key(host);
        var received = new List<string>();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task freed = parts.FreedAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(History("Count to twenty."), new OpenAIPromptExecutionSettings { MaxTokens = 100 }, cancellationToken: caller.Token))
            {
                if (!string.IsNullOrEmpty(update.Content))
                {
                    received.Add(update.Content);
                    if (received.Count == 2)
                    {
                        await caller.CancelAsync();
                    }
                }
            }
        });

        Assert.Equal(2, received.Count);
        // The answer had started, so the record is an incomplete answer (cancelled while reading, or abandoned when the caller
        // cancelled between reads and Semantic Kernel disposed the stream) with what had arrived.
        UsageRecord record = await parts.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Incomplete, record.Outcome);
        Assert.Contains(record.ErrorKind, (string[])["cancelled", "abandoned"]);
        Assert.Equal(2, record.CompletionChunks);
        Assert.NotNull(record.TimeToFirstToken);
        Assert.Null(record.Usage);
        Assert.StartsWith("req_", record.RequestId, StringComparison.Ordinal);
        await freed.WaitAsync(Ct);
        QuotaSnapshot after = await parts.Store.GetSnapshotAsync(key, Ct);
        Assert.Equal((0, 0L), (after.InFlightRequests, after.InFlightTokens));

        // The emulator saw the client go away and ended its stalled stream without billing it, as the ledger says.
        await emulatorLog.WaitForAsync("StreamIncomplete", 1);
        EmulatorUsage billed = host.Emulator.Accounting.Get(host.Emulator.ApiKey, Model);
        Assert.Equal((1L, 1L, 0L, 0L), (billed.Requests, billed.Incomplete, billed.PromptTokens, billed.CompletionTokens));
        Assert.Equal((record.BilledPromptTokens, record.BilledCompletionTokens), (billed.PromptTokens, billed.CompletionTokens));
    }

    private static QuotaKey Key(PipelineHost host)
        => new(host.Services.GetRequiredService<IOptions<GroqOptions>>().Value.ToPipelineSettings().Organization ?? RateLimitingHandler.NoOrganization, Model);

    private static ChatHistory History(string prompt)
    {
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        return history;
    }

    /// <summary>The pipeline over the emulator with a ledger that signals each record and a quota store that signals each settle or release.</summary>
    private sealed class Parts
    {
        public RecordingLedger Ledger { get; } = new();

        public DelegatingQuotaStore Store { get; } = new(new InMemoryQuotaStore(TimeProvider.System));

        public Task<PipelineHost> StartAsync(Action<GroqOptions>? groq = null, Action<GroqEmulatorOptions>? emulator = null, Action<IServiceCollection>? services = null)
            => PipelineHost.StartAsync(emulator, groq, s =>
            {
                s.AddSingleton<IUsageLedger>(Ledger);
                s.AddSingleton<IQuotaStore>(Store);
                services?.Invoke(s);
            });

        /// <summary>Completes once no reservation is in flight after the next settle or release.</summary>
        public Task FreedAsync()
        {
            var freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Store.Changed = () =>
            {
                if (Store.InFlight == 0)
                {
                    freed.TrySetResult();
                }
            };
            return freed.Task;
        }
    }
}
