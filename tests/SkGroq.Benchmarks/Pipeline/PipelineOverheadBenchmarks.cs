using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Emulator;
using SkGroq.Models;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// The pipeline's own CPU and allocations per request, without a network: the same four clients as
/// <see cref="PipelineBenchmarks"/>, but every primary handler replays a response recorded from the emulator (its real
/// headers and body). What is left is exactly what each client does per request. <see cref="Without"/> switches one
/// handler off, to show what each costs.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PipelineOverheadBenchmarks : IDisposable
{
    private const long Unbounded = PipelineFixture.Unbounded;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private ServiceProvider _services = null!;
    private PipelineFixture _f = null!;
    private IChatCompletionService _skGroq = null!;
    private IChatCompletionService _skPlain = null!;
    private HttpClient _groq = null!;
    private HttpClient _bare = null!;
    private HttpClient _skPlainHttp = null!;

    /// <summary>Gets or sets the handler switched off (<c>None</c>: the full pipeline; <c>All</c>: the four optional ones, leaving the skeleton).</summary>
    [Params("None", "Usage", "Cache", "RateLimiting", "Resilience", "All")]
    public string Without { get; set; } = "None";

    /// <summary>Gets or sets a value indicating whether the replayed answer arrives after a thread-pool hop, as over a socket.</summary>
    [Params(false, true)]
    public bool Yields { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _f = PipelineFixture.StartAsync().GetAwaiter().GetResult();
        RecordedExchange json = RecordedExchange.RecordAsync(_f.Bare, _f.ChatEndpoint, _f.JsonBody).GetAwaiter().GetResult();
        RecordedExchange stream = RecordedExchange.RecordAsync(_f.Bare, _f.ChatEndpoint, _f.StreamBody).GetAwaiter().GetResult();
        var replay = new ReplayHandler(json, stream, Yields);
        GroqEmulator emulator = _f.Emulator;

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = emulator.ApiKey;
            o.BaseUrl = emulator.BaseUrl.AbsoluteUri;
            o.Model = PipelineFixture.Model;
            o.Usage.Persist = false;
            o.Usage.Enabled = Without is not ("Usage" or "All");
            o.Cache.Enabled = Without is not ("Cache" or "All");
            o.RateLimiting.Enabled = Without is not ("RateLimiting" or "All");
            o.Resilience.Enabled = Without is not ("Resilience" or "All");
            o.Models[PipelineFixture.Model] = new ModelOverride { RequestsPerMinute = Unbounded, RequestsPerDay = Unbounded, TokensPerMinute = Unbounded, TokensPerDay = Unbounded };
        }).HttpClient.ConfigurePrimaryHttpMessageHandler(() => replay);
        _services = services.BuildServiceProvider();
        _skGroq = _services.GetRequiredService<IChatCompletionService>();
        _groq = _services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);
        _bare = new HttpClient(replay, disposeHandler: false);
        _skPlainHttp = new HttpClient(replay, disposeHandler: false) { BaseAddress = emulator.BaseUrl };
        _skPlain = new OpenAIChatCompletionService(PipelineFixture.Model, emulator.ApiKey, httpClient: _skPlainHttp);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _bare.Dispose();
        _skPlainHttp.Dispose();
        _services.Dispose();
        _f.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("JSON · SK")]
    public Task<long> Json_SkPlainHttpClient() => PipelineCalls.SkJsonAsync(_skPlain, _f);

    [Benchmark]
    [BenchmarkCategory("JSON · SK")]
    public Task<long> Json_SkGroqPipeline() => PipelineCalls.SkJsonAsync(_skGroq, _f);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("JSON · HTTP")]
    public Task<long> Json_BareHttpClient() => PipelineCalls.HttpJsonAsync(_bare, _f, _buffer);

    [Benchmark]
    [BenchmarkCategory("JSON · HTTP")]
    public Task<long> Json_GroqHttpClient() => PipelineCalls.HttpJsonAsync(_groq, _f, _buffer);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("stream · SK")]
    public Task<long> StreamToEnd_SkPlainHttpClient() => PipelineCalls.SkToEndAsync(_skPlain, _f);

    [Benchmark]
    [BenchmarkCategory("stream · SK")]
    public Task<long> StreamToEnd_SkGroqPipeline() => PipelineCalls.SkToEndAsync(_skGroq, _f);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("stream · HTTP")]
    public Task<long> StreamToEnd_BareHttpClient() => PipelineCalls.HttpToEndAsync(_bare, _f, _buffer);

    [Benchmark]
    [BenchmarkCategory("stream · HTTP")]
    public Task<long> StreamToEnd_GroqHttpClient() => PipelineCalls.HttpToEndAsync(_groq, _f, _buffer);
}
