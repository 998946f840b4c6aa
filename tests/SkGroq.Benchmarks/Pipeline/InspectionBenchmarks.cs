using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using SkGroq.Errors;
using SkGroq.Inspection;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// What the inspection handler does with every JSON answer, piece by piece: read its usage from the body and parse the
/// rate-limit headers. The body and headers are one recorded from the emulator (a 33-token answer, 650 bytes).
/// </summary>
[MemoryDiagnoser]
public class InspectionBenchmarks
{
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-12442bd7-dcac-4883-afcc-15f6572bef22","object":"chat.completion","created":1795569911,"model":"llama-3.1-8b-instant","choices":[{"index":0,"message":{"role":"assistant","content":"For example, the value covers this process usually. This returns the limit about local problems. They will reach the simple window so reduce each plan before the method."},"logprobs":null,"finish_reason":"stop"}],"usage":{"queue_time":0.059694699,"prompt_tokens":46,"prompt_time":0.00096699,"completion_tokens":33,"completion_time":0.066338308,"total_tokens":79,"total_time":0.067305298},"usage_breakdown":null,"system_fingerprint":"fp_1b429be02d","x_groq":{"id":"req_01m884x1mk5145b5yyds5wpkm3","seed":1981832675},"service_tier":"on_demand"}""");

    private HttpResponseHeaders _headers = null!;

    [GlobalSetup]
    public void Setup()
    {
        var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("x-request-id", "req_01m884x1mk5145b5yyds5wpkm3");
        response.Headers.TryAddWithoutValidation("x-ratelimit-limit-requests", "14400");
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining-requests", "14399");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset-requests", "6s");
        response.Headers.TryAddWithoutValidation("x-ratelimit-limit-tokens", "6000");
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining-tokens", "5698");
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset-tokens", "3.02s");
        _headers = response.Headers;
    }

    /// <summary>The usage, model, finish reason and request id of a JSON answer.</summary>
    [Benchmark]
    public object? ReadJsonAnswer() => ChatCompletionBody.Read(_body);

    /// <summary>The six <c>x-ratelimit-*</c> headers.</summary>
    [Benchmark]
    public GroqRateLimitHeaders? ParseRateLimitHeaders() => GroqRateLimitHeaders.Parse(_headers);
}
