using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Caching;
using SkGroq.Caching.Stores;
using SkGroq.Configuration;
using SkGroq.Http;
using SkGroq.Inspection;
using SkGroq.Models;
using SkGroq.Tests.Inspection;
using SkGroq.Tests.Usage;
using SkGroq.Usage;
using SkGroq.Usage.Tracking;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace SkGroq.Tests.Caching;

/// <summary>Usage tracking → response cache → response inspection → stub, as in the pipeline (positions 1, 2 and 5), on a fake clock.</summary>
internal sealed class CachingHarness : IDisposable
{
    public const string ApiKey = "gsk_secret_cache_9f8e7d6c5b4a39281706abcdef";
    public const string Model = "llama-3.1-8b-instant";
    public const string Question = """{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"What is 2+2?"}],"temperature":0}""";

    public CachingHarness(
        Action<GroqOptions>? configure = null,
        Func<FakeTimeProvider, IResponseCacheStore>? store = null,
        HttpMessageHandler? upstream = null,
        IMeterFactory? meterFactory = null,
        DelegatingHandler? belowCache = null)
    {
        Options = new GroqOptions { ApiKey = ApiKey };
        configure?.Invoke(Options);
        GroqPipelineSettings settings = Options.ToPipelineSettings();
        var inspection = new ResponseInspectionHandler(MsOptions.Create(Options.Inspection), settings, Time) { InnerHandler = upstream ?? Stub };
        Store = store?.Invoke(Time) ?? new MemoryResponseCacheStore(Options.Cache.MaxBytes, Options.Cache.MaxEntries, Time);
        Metrics = new ResponseCacheMetrics(Store, meterFactory);
        Cache = new ResponseCache(MsOptions.Create(Options.Cache), Store, Metrics);
        HttpMessageHandler below = inspection;
        if (belowCache is not null)
        {
            belowCache.InnerHandler = inspection;
            below = belowCache;
        }

        var caching = new ResponseCachingHandler(settings, Cache, Time) { InnerHandler = below };
        var usage = new UsageTrackingHandler(MsOptions.Create(Options.Usage), settings, Time, new ModelCatalog(), Ledger, UsageMetrics) { InnerHandler = caching };
        Invoker = new HttpMessageInvoker(usage);
    }

    public GroqOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public StubHttpHandler Stub { get; } = new();

    public IResponseCacheStore Store { get; }

    public ResponseCache Cache { get; }

    public ResponseCacheMetrics Metrics { get; }

    public RecordingLedger Ledger { get; } = new();

    public UsageMetrics UsageMetrics { get; } = new();

    public HttpMessageInvoker Invoker { get; }

    public static string Body(bool stream = false, bool includeUsage = false, string question = "What is 2+2?", string temperature = "0")
        => $"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{question}\"}}],\"temperature\":{temperature}"
            + (stream ? ",\"stream\":true" : string.Empty)
            + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : string.Empty) + "}";

    public static HttpRequestMessage Request(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", ApiKey);
        return request;
    }

    /// <summary>A Groq-shaped chat completion (prompt 16 + completion 19 = 35 tokens).</summary>
    public static string Completion(string content = "2 + 2 = 4.", string finishReason = "stop", string requestId = "req_01m48tqzdve5v8d97j7jgm40as")
        => $$"""{"id":"chatcmpl-a79f596a","object":"chat.completion","created":1791297846,"model":"{{Model}}","choices":[{"index":0,"message":{"role":"assistant","content":"{{content}}"},"logprobs":null,"finish_reason":"{{finishReason}}"}],"usage":{"queue_time":0.05,"prompt_tokens":16,"prompt_time":0.0008,"completion_tokens":19,"completion_time":0.03,"total_tokens":35,"total_time":0.04},"usage_breakdown":null,"system_fingerprint":"fp_21e59ac2de","x_groq":{"id":"{{requestId}}"},"service_tier":"on_demand"}""";

    public static HttpResponseMessage JsonResponse(HttpRequestMessage request, string? body = null)
        => new(HttpStatusCode.OK) { Content = new StringContent(body ?? Completion(), Encoding.UTF8, "application/json"), RequestMessage = request };

    public static HttpResponseMessage SseResponse(HttpRequestMessage request, Stream body)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = new("text/event-stream");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }

    /// <summary>A Groq-shaped stream of "Hello world" (48 + 3 tokens).</summary>
    public static string StreamBody(string finishReason = "stop")
        => InspectionTestData.FirstChunk(Model) + InspectionTestData.ContentChunk("Hello", Model) + InspectionTestData.ContentChunk(" world", Model)
            + InspectionTestData.FinishChunk(48, 3, Model, finishReason: finishReason) + InspectionTestData.Done;

    public CachingHarness ReplyJson(string? body = null) => Do(() => Stub.Reply(HttpStatusCode.OK, body ?? Completion()));

    public CachingHarness ReplyStream(string? body = null) => Do(() => Stub.ReplyStream(new MemoryStream(Encoding.UTF8.GetBytes(body ?? StreamBody()))));

    public CachingHarness ReplyError(int status, string body) => Do(() => Stub.Reply((HttpStatusCode)status, body));

    public Task<HttpResponseMessage> SendAsync(string body) => Invoker.SendAsync(Request(body), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> SendCancellableAsync(string body, CancellationToken cancellationToken) => Invoker.SendAsync(Request(body), cancellationToken);

    /// <summary>Sends and reads the whole body.</summary>
    public async Task<(HttpResponseMessage Response, byte[] Body)> ExchangeAsync(string body)
    {
        HttpResponseMessage response = await SendAsync(body);
        byte[] bytes = await ReadAllAsync(response);
        return (response, bytes);
    }

    public static async Task<byte[]> ReadAllAsync(HttpResponseMessage response)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    public static string Key(string body)
    {
        Assert.True(ResponseCacheKey.TryCompute(Encoding.UTF8.GetBytes(body), "chat/completions", null, out string key));
        return key;
    }

    public static string? CacheHeader(HttpResponseMessage response)
        => response.Headers.TryGetValues(ResponseCachingDefaults.CacheHeader, out IEnumerable<string>? values) ? values.Single() : null;

    public void Dispose()
    {
        Invoker.Dispose();
        Metrics.Dispose();
        UsageMetrics.Dispose();
        (Store as IDisposable)?.Dispose();
    }

    private CachingHarness Do(Action action)
    {
        action();
        return this;
    }
}
