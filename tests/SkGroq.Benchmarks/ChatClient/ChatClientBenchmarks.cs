using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using SkGroq.Benchmarks.Pipeline;
using SkGroq.Tracing;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using MeaiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace SkGroq.Benchmarks.ChatClient;

/// <summary>
/// One JSON request, median per request against the zero-latency in-process emulator: SkGroq's <see cref="IChatClient"/>
/// beside the Semantic Kernel path (both through the full pipeline) and beside a plain MEAI client (the OpenAI SDK's
/// <c>AsIChatClient()</c> over a plain HttpClient, the baseline); and SkGroq's client with a trace listener attached
/// (the last row: once it runs, the listener stays, so it must stay last in declaration order).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
public class ChatClientBenchmarks : IDisposable
{
    private const string Clients = "1 JSON · clients";

    private PipelineFixture _f = null!;
    private ServiceProvider _services = null!;
    private IChatClient _groq = null!;
    private IChatClient _plain = null!;
    private HttpClient _plainHttp = null!;
    private ActivityListener? _listener;
    private List<MeaiChatMessage> _messages = null!;
    private ChatOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _f = PipelineFixture.StartAsync().GetAwaiter().GetResult();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = _f.Emulator.ApiKey;
            o.BaseUrl = _f.Emulator.BaseUrl.AbsoluteUri;
            o.Model = PipelineFixture.Model;
            o.Usage.Persist = false;
            o.Models[PipelineFixture.Model] = new Models.ModelOverride { RequestsPerMinute = PipelineFixture.Unbounded, RequestsPerDay = PipelineFixture.Unbounded, TokensPerMinute = PipelineFixture.Unbounded, TokensPerDay = PipelineFixture.Unbounded };
        });
        services.AddGroqChatClient(PipelineFixture.Model);
        _services = services.BuildServiceProvider();
        _groq = _services.GetRequiredService<IChatClient>();

        _plainHttp = new HttpClient();
        _plain = new OpenAIClient(
                new ApiKeyCredential(_f.Emulator.ApiKey),
                new OpenAIClientOptions { Endpoint = _f.Emulator.BaseUrl, Transport = new HttpClientPipelineTransport(_plainHttp), RetryPolicy = new ClientRetryPolicy(0) })
            .GetChatClient(PipelineFixture.Model)
            .AsIChatClient();
        _messages = [new MeaiChatMessage(MeaiChatRole.System, "You are a helpful assistant."), new MeaiChatMessage(MeaiChatRole.User, "Say hello.")];
        _options = new ChatOptions { MaxOutputTokens = 256, Temperature = 0.7f };
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _listener?.Dispose();
        _services.Dispose();
        _plainHttp.Dispose();
        _f.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Clients)]
    public Task<ChatResponse> Json_PlainMeaiClient() => _plain.GetResponseAsync(_messages, _options);

    [Benchmark]
    [BenchmarkCategory(Clients)]
    public Task<ChatResponse> Json_GroqChatClient() => _groq.GetResponseAsync(_messages, _options);

    [Benchmark]
    [BenchmarkCategory(Clients)]
    public Task<long> Json_SemanticKernelPath() => PipelineCalls.SkJsonAsync(_f.SkGroq, _f);

    [Benchmark]
    [BenchmarkCategory(Clients)]
    public Task<ChatResponse> Json_GroqChatClient_TraceListener() => TracedAsync();

    private async Task<ChatResponse> TracedAsync()
    {
        _listener ??= Listen();
        return await _groq.GetResponseAsync(_messages, _options);
    }

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GroqTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
