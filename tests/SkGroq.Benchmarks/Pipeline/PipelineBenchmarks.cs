using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// One request through each client, side by side against the same zero-latency in-process emulator (see
/// <see cref="PipelineFixture"/>): JSON, a stream to its first token, a stream to its end. Each category pairs a client
/// with its baseline: Semantic Kernel through SkGroq against Semantic Kernel with a plain HttpClient (target ≤ 1.05×
/// median), the <c>groq</c> HttpClient against a bare HttpClient (target ≤ 1.25×).
/// </summary>
/// <remarks>
/// The emulator runs in this process, so the allocation column includes the server's own allocations (identical for
/// every client); the differences between rows are the clients'. Tails (p99) are measured by the interleaved sampler
/// (<c>-- latency</c>), which runs all twelve rows in shuffled rounds so background load hits them alike.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
public class PipelineBenchmarks : IDisposable
{
    private const string JsonSk = "1 JSON · SK";
    private const string JsonHttp = "2 JSON · HTTP";
    private const string FirstSk = "3 first token · SK";
    private const string FirstHttp = "4 first token · HTTP";
    private const string EndSk = "5 stream to end · SK";
    private const string EndHttp = "6 stream to end · HTTP";

    private readonly byte[] _buffer = new byte[16 * 1024];
    private PipelineFixture _f = null!;

    [GlobalSetup]
    public void Setup()
    {
        _f = PipelineFixture.StartAsync().GetAwaiter().GetResult();
        long opened = _f.GroqConnections.ConnectionsOpened;
        Console.WriteLine($"// request bodies: JSON {_f.JsonBody.Length} B, stream {_f.StreamBody.Length} B; groq connections after setup: {opened}");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        // Connection reuse across the whole run: each client should have opened exactly one connection.
        Console.WriteLine($"// connections opened: groq {_f.GroqConnections.ConnectionsOpened}, SK plain {_f.SkPlainConnections.Opened}, bare {_f.BareConnections.Opened}");
        _f.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(JsonSk)]
    public Task<long> Json_SkPlainHttpClient() => PipelineCalls.SkJsonAsync(_f.SkPlain, _f);

    [Benchmark]
    [BenchmarkCategory(JsonSk)]
    public Task<long> Json_SkGroqPipeline() => PipelineCalls.SkJsonAsync(_f.SkGroq, _f);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(JsonHttp)]
    public Task<long> Json_BareHttpClient() => PipelineCalls.HttpJsonAsync(_f.Bare, _f, _buffer);

    [Benchmark]
    [BenchmarkCategory(JsonHttp)]
    public Task<long> Json_GroqHttpClient() => PipelineCalls.HttpJsonAsync(_f.GroqHttp, _f, _buffer);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(FirstSk)]
    public Task<long> FirstToken_SkPlainHttpClient() => PipelineCalls.SkFirstTokenAsync(_f.SkPlain, _f);

    [Benchmark]
    [BenchmarkCategory(FirstSk)]
    public Task<long> FirstToken_SkGroqPipeline() => PipelineCalls.SkFirstTokenAsync(_f.SkGroq, _f);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(FirstHttp)]
    public Task<long> FirstToken_BareHttpClient() => PipelineCalls.HttpFirstTokenAsync(_f.Bare, _f, _buffer);

    [Benchmark]
    [BenchmarkCategory(FirstHttp)]
    public Task<long> FirstToken_GroqHttpClient() => PipelineCalls.HttpFirstTokenAsync(_f.GroqHttp, _f, _buffer);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(EndSk)]
    public Task<long> StreamToEnd_SkPlainHttpClient() => PipelineCalls.SkToEndAsync(_f.SkPlain, _f);

    [Benchmark]
    [BenchmarkCategory(EndSk)]
    public Task<long> StreamToEnd_SkGroqPipeline() => PipelineCalls.SkToEndAsync(_f.SkGroq, _f);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(EndHttp)]
    public Task<long> StreamToEnd_BareHttpClient() => PipelineCalls.HttpToEndAsync(_f.Bare, _f, _buffer);

    [Benchmark]
    [BenchmarkCategory(EndHttp)]
    public Task<long> StreamToEnd_GroqHttpClient() => PipelineCalls.HttpToEndAsync(_f.GroqHttp, _f, _buffer);
}
