using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Emulator;
using SkGroq.Tests.Context;
using SkGroq.Tests.Emulator;
using SkGroq.Tests.Usage;
using SkGroq.Usage;

namespace SkGroq.Tests.Resilience;

/// <summary>
/// The full SkGroq pipeline (<c>AddGroq</c>, Semantic Kernel's chat completion, the raw <c>groq</c> HttpClient) against the real
/// emulator on loopback, both on one fake clock (<see cref="SignalingTimeProvider"/>), with a <see cref="WireTap"/> under the
/// pipeline and a <see cref="RecordingLedger"/> for usage records.
/// </summary>
/// <remarks>
/// How retries are driven without sleeping (<see cref="RunAsync{T}"/>): the retry layer reports each retry through the ambient
/// status (<see cref="GroqRequestPhase.Retrying"/>, with the wait it is about to start) before it starts that wait; the test then
/// waits until the code under test has created a timer of exactly that due time (the fake clock signals every timer it creates)
/// and advances the clock by exactly that much. The wait is thus both observed (the delay the pipeline chose) and the only
/// thing that moves time, and the attempts' fake timestamps on the wire differ by exactly those delays.
/// </remarks>
internal sealed class ResilienceHarness : IAsyncDisposable
{
    public const string Primary = "llama-3.3-70b-versatile";
    public const string Secondary = "llama-3.1-8b-instant";
    public const string Tertiary = "openai/gpt-oss-20b";

    private readonly ServiceProvider _services;

    private ResilienceHarness(TestEmulator groq, ServiceProvider services, WireLog wire, RecordingLedger ledger)
    {
        Groq = groq;
        _services = services;
        Wire = wire;
        Ledger = ledger;
    }

    public TestEmulator Groq { get; }

    public GroqEmulator Emulator => Groq.Emulator;

    public SignalingTimeProvider Time => Groq.Time;

    public WireLog Wire { get; }

    public RecordingLedger Ledger { get; }

    public IServiceProvider Services => _services;

    public IChatCompletionService Chat => _services.GetRequiredService<IChatCompletionService>();

    public HttpClient Http => _services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);

    /// <summary>Starts an emulator and a pipeline pointed at it: no jitter (delays are exact), no fallback unless configured.</summary>
    public static async Task<ResilienceHarness> StartAsync(
        Action<GroqOptions>? configure = null,
        Action<GroqEmulatorOptions>? emulator = null,
        Func<TestEmulator, string>? baseUrl = null)
    {
        TestEmulator groq = await TestEmulator.StartAsync(emulator);
        var wire = new WireLog();
        var ledger = new RecordingLedger();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton<TimeProvider>(groq.Time);
        services.AddSingleton<IUsageLedger>(ledger);
        IGroqBuilder builder = services.AddGroq(o =>
        {
            o.ApiKey = groq.Key;
            o.BaseUrl = baseUrl?.Invoke(groq) ?? groq.Emulator.BaseUrl.AbsoluteUri;
            o.Model = Primary;
            o.Usage.Persist = false;
            o.Resilience.UseJitter = false;
            o.Fallbacks.Clear();
            configure?.Invoke(o);
        });
        builder.HttpClient.AddHttpMessageHandler(() => new WireTap(groq.Time, wire));
        return new ResilienceHarness(groq, services.BuildServiceProvider(validateScopes: true), wire, ledger);
    }

    public static OpenAIPromptExecutionSettings Settings(string model = Primary, int? maxTokens = 50) => new() { ModelId = model, MaxTokens = maxTokens };

    public static ChatHistory Question(string text = "What is the capital of France?")
    {
        var history = new ChatHistory();
        history.AddUserMessage(text);
        return history;
    }

    /// <summary>Asks through Semantic Kernel (one JSON answer).</summary>
    public Task<RunResult<ChatMessageContent>> AskAsync(string model = Primary, GroqRequestOptions? options = null, int? maxTokens = 50)
        => RunAsync(ct => Chat.GetChatMessageContentAsync(Question(), Settings(model, maxTokens), cancellationToken: ct), options);

    /// <summary>Streams through Semantic Kernel; the text that reached the caller is kept even when the stream fails.</summary>
    public async Task<RunResult<string>> StreamAsync(string model = Primary, GroqRequestOptions? options = null, List<string>? received = null, Action<int>? onChunk = null, int? maxTokens = 50)
    {
        received ??= [];
        return await RunAsync(
            async ct =>
            {
                await foreach (StreamingChatMessageContent update in Chat.GetStreamingChatMessageContentsAsync(Question(), Settings(model, maxTokens), cancellationToken: ct))
                {
                    if (!string.IsNullOrEmpty(update.Content))
                    {
                        received.Add(update.Content);
                        onChunk?.Invoke(received.Count);
                    }
                }

                return string.Concat(received);
            },
            options);
    }

    /// <summary>Posts a raw chat completion body through the <c>groq</c> HttpClient and reads the answer whole.</summary>
    public Task<RunResult<string>> PostAsync(string body, GroqRequestOptions? options = null)
        => RunAsync(
            async ct =>
            {
                using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                using HttpResponseMessage response = await Http.PostAsync("chat/completions", content, ct);
                return await response.Content.ReadAsStringAsync(ct);
            },
            options);

    /// <summary>Runs a call inside a request scope, advancing the fake clock by exactly each retry wait the pipeline announces.</summary>
    public async Task<RunResult<T>> RunAsync<T>(Func<CancellationToken, Task<T>> call, GroqRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var status = new StatusRecorder();
        var delays = new List<TimeSpan>();

        // A guard on the real clock: a broken pipeline fails the test instead of hanging it.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30), TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(guard.Token, TestContext.Current.CancellationToken);
        using GroqRequestScope scope = GroqRequestContext.Begin((options ?? new GroqRequestOptions()) with { Status = status });
        Task<T> task = call(cancellationToken == default ? TestContext.Current.CancellationToken : cancellationToken);
        Task<GroqRequestStatus> next = status.Pending.ReadAsync(linked.Token).AsTask();
        while (await Task.WhenAny(task, next) != task)
        {
            GroqRequestStatus report = await next;
            if (report is { Phase: GroqRequestPhase.Retrying, Wait: { } wait } && wait > TimeSpan.Zero)
            {
                await WaitForTimerAsync(wait, linked.Token);
                Time.Advance(wait);
                delays.Add(wait);
            }
            else if (report is { Phase: GroqRequestPhase.Queued, Wait: { } queued } && queued > TimeSpan.Zero)
            {
                // The limiter waits for quota on the same clock (after a 429 its model is paused; a refill keeps a guard).
                await WaitForTimerAsync(queued, linked.Token);
                Time.Advance(queued);
            }

            next = status.Pending.ReadAsync(linked.Token).AsTask();
        }

        T? value = default;
        Exception? error = null;
        try
        {
            // Bounded by the guard too: a request stuck on the fake clock fails the test instead of hanging the run.
            value = await task.WaitAsync(linked.Token);
        }
#pragma warning disable CA1031 // The test asserts on the exception itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        return new RunResult<T>(value, error, delays, status.All);
    }

    /// <summary>Waits until the code under test starts a timer of exactly <paramref name="dueTime"/> (timers of other due times are skipped).</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, CancellationToken cancellationToken)
    {
        while (await Time.NextTimerAsync().AsTask().WaitAsync(cancellationToken) != dueTime)
        {
            // Another timer (an attempt's first-byte timeout, the deadline, the emulator's own): not the one awaited.
        }
    }

    public long Requests(string model) => Emulator.Accounting.Get(Groq.Key, model).Requests;

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Groq.DisposeAsync();
    }
}
