using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using SkGroq.Context;
using SkGroq.Http;
using SkGroq.Tracing;
using SkGroq.Usage;

namespace SkGroq.Benchmarks.ChatClient;

/// <summary>
/// What tracing costs a request when no one listens: every call the pipeline makes into <see cref="GroqTracing"/> for one
/// request with a retry (start, two attempts, a status event, the end), with no listener attached.
/// </summary>
[MemoryDiagnoser]
public class TracingOffPathBenchmarks
{
    private GroqRequestInfo _info = null!;
    private UsageRecord _record = null!;
    private GroqRequestStatus _status = null!;
    private Uri _uri = null!;

    [GlobalSetup]
    public void Setup()
    {
        _uri = new Uri("http://127.0.0.1:1/openai/v1/chat/completions");
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri)
        {
            Content = new StringContent("""{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"hi"}],"max_tokens":16}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        _info = GroqRequestInfo.GetOrCreateAsync(request, TimeProvider.System, TimeSpan.FromMinutes(1), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _record = new UsageRecord { Timestamp = TimeProvider.System.GetUtcNow(), ModelRequested = "llama-3.1-8b-instant", Outcome = UsageOutcome.Ok };
        _status = new GroqRequestStatus(GroqRequestPhase.Retrying, "llama-3.1-8b-instant", "retrying", TimeSpan.FromSeconds(1));
    }

    [Benchmark]
    public bool OneRequestWithARetry_NoListener()
    {
        _info.Activity = GroqTracing.StartRequest(_info, _uri);
        GroqTracing.EndAttempt(GroqTracing.StartAttempt(_info), 503, "over_capacity");
        _info.Status?.Report(_status);
        GroqTracing.EndAttempt(GroqTracing.StartAttempt(_info), 200, null);
        GroqTracing.EndRequest(_info.Activity, _record);
        return _info.Activity is null;
    }
}
