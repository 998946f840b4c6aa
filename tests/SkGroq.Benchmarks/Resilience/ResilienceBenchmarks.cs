using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using SkGroq.Configuration;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Resilience;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace SkGroq.Benchmarks.Resilience;

/// <summary>
/// What position 3 of the pipeline (Polly resilience and model fallback) costs a request that succeeds at once, and what
/// a fallback's body rewrite costs. The inner handler answers a preallocated 200 without I/O; the baseline parses the request
/// (<see cref="GroqRequestInfo"/>, which the outermost handler does in the real pipeline anyway) and answers the same way.
/// </summary>
[MemoryDiagnoser]
public class ResilienceBenchmarks : IDisposable
{
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes(
        """{"messages":[{"role":"system","content":"You are a concise assistant for an internal engineering knowledge base. Answer in plain English, cite the page you used, and say when you do not know."},{"role":"user","content":"Summarize the on-call escalation policy for a P1 incident in five bullet points, with who to call first and how long to wait before escalating."}],"model":"llama-3.3-70b-versatile","temperature":0.7,"max_completion_tokens":512,"stream":true,"stream_options":{"include_usage":true},"tools":[{"type":"function","function":{"name":"search_kb","description":"Search the knowledge base","parameters":{"type":"object","properties":{"query":{"type":"string"},"model":{"type":"string","description":"not the request's model"}},"required":["query"]}}}]}""");

    private readonly string _fallbackModel = "llama-3.1-8b-instant";
    private HttpMessageInvoker _baseline = null!;
    private HttpMessageInvoker _resilient = null!;
    private HttpMessageInvoker _retrying = null!;
    private GroqResiliencePipelines _pipelines = null!;
    private GroqResiliencePipelines _retryPipelines = null!;

    /// <summary>Gets the size of the request body.</summary>
    public static int BodyBytes => s_body.Length;

    [GlobalSetup]
    public void Setup()
    {
        var options = new GroqOptions { ApiKey = "gsk_benchmark_0123456789abcdefghijklmnop" };
        options.Fallbacks["llama-3.3-70b-versatile"] = ["llama-3.1-8b-instant"];
        _baseline = new HttpMessageInvoker(new ParseOnlyHandler { InnerHandler = new OkHandler() });
        _pipelines = new GroqResiliencePipelines(MsOptions.Create(options.Resilience), TimeProvider.System);
        _resilient = new HttpMessageInvoker(Chain(options, _pipelines, new OkHandler()));

        // No backoff, so the retry's own cost shows rather than a wait.
        var retryOptions = new GroqOptions { ApiKey = options.ApiKey };
        retryOptions.Resilience.BaseDelay = TimeSpan.Zero;
        retryOptions.Resilience.MaxDelay = TimeSpan.Zero;
        retryOptions.Resilience.CircuitBreaker.Enabled = false;
        _retryPipelines = new GroqResiliencePipelines(MsOptions.Create(retryOptions.Resilience), TimeProvider.System);
        _retrying = new HttpMessageInvoker(Chain(retryOptions, _retryPipelines, new FailOnceHandler()));
    }

    /// <summary>The fallback's rewrite of <c>model</c> in a 1 KB body (model not first, a nested <c>model</c> left alone).</summary>
    [Benchmark]
    public int RewriteModel()
    {
        RequestBodyRewriter.TryReplaceTopLevelString(s_body, "model"u8, _fallbackModel, out byte[]? rewritten);
        return rewritten!.Length;
    }

    /// <summary>Baseline: parse the request, answer 200.</summary>
    [Benchmark(Baseline = true)]
    public async Task<HttpStatusCode> Send_ParseOnly()
    {
        using HttpResponseMessage response = await _baseline.SendAsync(Request(), CancellationToken.None);
        return response.StatusCode;
    }

    /// <summary>The same through model fallback and the per-model Polly pipeline (retry, circuit breaker) under the request's deadline, no failure.</summary>
    [Benchmark]
    public async Task<HttpStatusCode> Send_FallbackAndResilience()
    {
        using HttpResponseMessage response = await _resilient.SendAsync(Request(), CancellationToken.None);
        return response.StatusCode;
    }

    /// <summary>One 500 then 200: the retry decision, status report and second attempt (zero backoff).</summary>
    [Benchmark]
    public async Task<HttpStatusCode> Send_OneRetry()
    {
        using HttpResponseMessage response = await _retrying.SendAsync(Request(), CancellationToken.None);
        return response.StatusCode;
    }

    public void Dispose()
    {
        _baseline.Dispose();
        _resilient.Dispose();
        _retrying.Dispose();
        GC.SuppressFinalize(this);
    }

    private static GroqResilienceHandler Chain(GroqOptions options, GroqResiliencePipelines pipelines, HttpMessageHandler inner)
        => new(MsOptions.Create(options.Resilience), options.ToPipelineSettings(), pipelines, TimeProvider.System) { InnerHandler = inner };

    private static HttpRequestMessage Request() => new(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions") { Content = new ByteArrayContent(s_body) };

    private sealed class ParseOnlyHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await GroqRequestInfo.GetOrCreateAsync(request, TimeProvider.System, TimeSpan.FromMinutes(1), cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class OkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
    }

    /// <summary>Fails the first attempt of each request with a 500, answers the second.</summary>
    private sealed class FailOnceHandler : HttpMessageHandler
    {
        private static readonly HttpRequestOptionsKey<bool> s_failed = new("failed");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.Options.TryGetValue(s_failed, out _))
            {
                request.Options.Set(s_failed, true);
                return Task.FromException<HttpResponseMessage>(new GroqServerException("500", new GroqErrorDetails { StatusCode = 500 }));
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });
        }
    }
}
