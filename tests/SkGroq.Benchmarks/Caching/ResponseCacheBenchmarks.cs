using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Caching;
using SkGroq.Configuration;

using SkGroq.Http;

namespace SkGroq.Benchmarks.Caching;

/// <summary>
/// A response-cache hit in process (target: a non-streaming hit for a 2 KB answer ≤ 20 µs median). The cache is warmed once
/// with a 2,048-byte Groq chat completion; every operation then sends the same deterministic request (a system and a user
/// message, <c>temperature</c> 0) and reads the whole answer. Nothing reaches the primary handler, which counts calls so a
/// miss would show.
/// </summary>
[MemoryDiagnoser]
public class ResponseCacheBenchmarks : IDisposable
{
    private static readonly byte[] s_request = Encoding.UTF8.GetBytes(
        """{"messages":[{"role":"system","content":"You are a concise assistant for an internal engineering knowledge base. Answer in plain English."},{"role":"user","content":"Summarize the on-call escalation policy for a P1 incident in five bullet points."}],"model":"llama-3.1-8b-instant","temperature":0,"max_completion_tokens":512}""");

    private static readonly byte[] s_streamingRequest = Encoding.UTF8.GetBytes(
        """{"messages":[{"role":"system","content":"You are a concise assistant for an internal engineering knowledge base. Answer in plain English."},{"role":"user","content":"Summarize the on-call escalation policy for a P1 incident in five bullet points."}],"model":"llama-3.1-8b-instant","temperature":0,"max_completion_tokens":512,"stream":true,"stream_options":{"include_usage":true}}""");

    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private readonly string _path = "chat/completions";
    private ServiceProvider _services = null!;
    private HttpClient _client = null!;
    private HttpMessageInvoker _handlerOnly = null!;
    private CountingHandler _upstream = null!;

    /// <summary>Gets the size of the cached answer.</summary>
    public static int AnswerBytes => Answer().Length;

    [GlobalSetup]
    public void Setup()
    {
        _upstream = new CountingHandler(Answer());
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = "gsk_benchmark_0123456789abcdefghijklmnop";
            o.Usage.Persist = false;
        }).HttpClient.ConfigurePrimaryHttpMessageHandler(() => _upstream);
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);

        // The first request is the miss that stores the answer; every benchmarked one is a hit.
        using HttpResponseMessage miss = _client.SendAsync(Request(s_request)).GetAwaiter().GetResult();
        miss.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        var handler = new ResponseCachingHandler(_services.GetRequiredService<GroqPipelineSettings>(), _services.GetRequiredService<ResponseCache>(), TimeProvider.System)
        {
            InnerHandler = _upstream,
        };
        _handlerOnly = new HttpMessageInvoker(handler);
        if (_services.GetRequiredService<IResponseCache>().GetStatistics().Entries != 1 || _upstream.Calls != 1)
        {
            throw new InvalidOperationException("The cache was not warmed.");
        }
    }

    /// <summary>Computing the key alone: parse, canonicalise, SHA-256.</summary>
    [Benchmark]
    public string Key()
    {
        ResponseCacheKey.TryCompute(s_request, _path, null, out string key);
        return key;
    }

    /// <summary>The cache handler alone (it parses the request itself): send, read the 2 KB body.</summary>
    [Benchmark]
    public async Task<int> NonStreamingHit_CacheHandler()
    {
        using HttpResponseMessage response = await _handlerOnly.SendAsync(Request(s_request), CancellationToken.None);
        return await ReadAsync(response);
    }

    /// <summary>Through the <c>groq</c> HttpClient as Semantic Kernel calls it: usage tracking (record, ledger, metrics) and the cache.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> NonStreamingHit_Pipeline()
    {
        using HttpResponseMessage response = await _client.SendAsync(Request(s_request), CancellationToken.None);
        return await ReadAsync(response);
    }

    /// <summary>A streaming request for the same answer: converted to chunks once, then replayed as SSE and tapped by usage tracking.</summary>
    [Benchmark]
    public async Task<int> StreamingHit_Pipeline()
    {
        using HttpResponseMessage response = await _client.SendAsync(Request(s_streamingRequest), HttpCompletionOption.ResponseHeadersRead, CancellationToken.None);
        return await ReadAsync(response);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        if (_upstream.Calls != 1)
        {
            throw new InvalidOperationException($"{_upstream.Calls} requests reached the primary handler: a benchmarked request missed.");
        }

        _handlerOnly.Dispose();
        _client.Dispose();
        _services.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A Groq chat completion of exactly 2,048 bytes.</summary>
    private static byte[] Answer()
    {
        const string Envelope = """{"id":"chatcmpl-a79f596a-cdc3-4b0b-9e02-0cd4dda5506e","object":"chat.completion","created":1791297846,"model":"llama-3.1-8b-instant","choices":[{"index":0,"message":{"role":"assistant","content":"CONTENT"},"logprobs":null,"finish_reason":"stop"}],"usage":{"queue_time":0.0521354,"prompt_tokens":61,"prompt_time":0.00080814,"completion_tokens":392,"completion_time":0.036813737,"total_tokens":453,"total_time":0.037621877},"usage_breakdown":null,"system_fingerprint":"fp_21e59ac2de","x_groq":{"id":"req_01m48tqzdve5v8d97j7jgm40as","seed":1321871292},"service_tier":"on_demand"}""";
        const string Sentence = "- Page the primary on-call engineer and open an incident channel within five minutes. ";
        int room = 2048 - (Envelope.Length - "CONTENT".Length);
        var content = new StringBuilder();
        while (content.Length < room)
        {
            content.Append(Sentence);
        }

        return Encoding.UTF8.GetBytes(Envelope.Replace("CONTENT", content.ToString(0, room), StringComparison.Ordinal));
    }

    private static HttpRequestMessage Request(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return new HttpRequestMessage(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions") { Content = content };
    }

    private async Task<int> ReadAsync(HttpResponseMessage response)
    {
        Stream stream = await response.Content.ReadAsStreamAsync();
        int total = 0;
        int read;
        while ((read = await stream.ReadAsync(_readBuffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    private sealed class CountingHandler(byte[] answer) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var content = new ByteArrayContent(answer);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
