using System.Net;
using System.Text;
using SkGroq.Caching;
using SkGroq.Context;
using SkGroq.Errors;

namespace SkGroq.Tests.Caching;

public sealed class CachePolicyTests
{
    [Theory]
    [InlineData(GroqCacheMode.Default, 0.0, "ReadWrite")]
    [InlineData(GroqCacheMode.Default, 0.7, "Bypass")]
    [InlineData(GroqCacheMode.Default, 1e-8, "Bypass")]
    [InlineData(GroqCacheMode.Default, null, "Bypass")]
    [InlineData(GroqCacheMode.Enabled, 0.7, "ReadWrite")]
    [InlineData(GroqCacheMode.Enabled, null, "ReadWrite")]
    [InlineData(GroqCacheMode.Disabled, 0.0, "Bypass")]
    [InlineData(GroqCacheMode.Refresh, 0.0, "Refresh")]
    [InlineData(GroqCacheMode.Refresh, 0.9, "Refresh")]
    public void Classify_ModeAndTemperature_Decides(GroqCacheMode mode, double? temperature, string expected)
    {
        Assert.Equal(expected, CachePolicy.Classify(mode, temperature).ToString());
    }

    [Theory]
    [InlineData("stop", true)]
    [InlineData("length", true)]
    [InlineData("tool_calls", false)]
    [InlineData("function_call", false)]
    [InlineData("content_filter", false)]
    [InlineData("STOP", false)]
    [InlineData(null, false)]
    public void IsStorable_FinishReason_OnlyStopAndLength(string? finishReason, bool expected)
    {
        Assert.Equal(expected, CachePolicy.IsStorable(finishReason));
    }

    [Theory]
    [InlineData(0, "Fresh")]
    [InlineData(59 * 60 + 59, "Fresh")]
    [InlineData(60 * 60, "Stale")]
    [InlineData(3 * 60 * 60 - 1, "Stale")]
    [InlineData(3 * 60 * 60, "Expired")]
    public void Evaluate_Age_FreshThenStaleThenExpired(int ageSeconds, string expected)
    {
        var storedAt = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, CachePolicy.Evaluate(storedAt, storedAt.AddSeconds(ageSeconds), TimeSpan.FromHours(1), TimeSpan.FromHours(2)).ToString());
    }

    public static TheoryData<string, GroqException, bool> Failures => new()
    {
        { "500", FromStatus(500, """{"error":{"message":"Internal Server Error","type":"internal_server_error"}}"""), true },
        { "502", FromStatus(502, """{"error":{"message":"Bad Gateway","type":"internal_server_error"}}"""), true },
        { "503 over capacity", FromStatus(503, """{"error":{"message":"llama-3.1-8b-instant is currently over capacity.","type":"internal_server_error","code":"over_capacity"}}"""), true },
        { "498 flex", FromStatus(498, """{"error":{"message":"Capacity exceeded","type":"capacity_exceeded","code":"capacity_exceeded"}}"""), true },
        { "429", FromStatus(429, """{"error":{"message":"Rate limit reached for model `llama-3.1-8b-instant` on tokens per minute (TPM): Limit 6000, Used 5000, Requested 2000. Please try again in 10s.","type":"tokens","code":"rate_limit_exceeded"}}"""), true },
        { "rate-limit timeout", new GroqRateLimitException("no quota before the deadline") { Reason = GroqRateLimitReason.RateLimitTimeout }, true },
        { "queue full", new GroqRateLimitException("queue full") { Reason = GroqRateLimitReason.QueueFull }, true },
        { "connection", new GroqConnectionException("refused"), true },
        { "first byte timeout", new GroqTimeoutException("slow") { TimeoutKind = GroqTimeoutKind.FirstByte }, true },
        { "deadline", new GroqTimeoutException("late") { TimeoutKind = GroqTimeoutKind.Deadline }, true },
        { "circuit open", new FakeResilienceException("circuit_open", null), true },
        { "fallback exhausted after 503", new FakeResilienceException("fallback_exhausted", FromStatus(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""")), true },
        { "fallback exhausted after 404", new FakeResilienceException("fallback_exhausted", FromStatus(404, """{"error":{"message":"The model `x` does not exist","type":"invalid_request_error","code":"model_not_found"}}""")), false },
        { "400", FromStatus(400, """{"error":{"message":"'messages' : minimum number of items is 1","type":"invalid_request_error"}}"""), false },
        { "401", FromStatus(401, """{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}"""), false },
        { "403", FromStatus(403, """{"error":{"message":"Forbidden","type":"permission_denied"}}"""), false },
        { "404", FromStatus(404, """{"error":{"message":"The model `nope` does not exist or you do not have access to it.","type":"invalid_request_error","code":"model_not_found"}}"""), false },
        { "413", FromStatus(413, """{"error":{"message":"Request Entity Too Large","type":"invalid_request_error","code":"request_too_large"}}"""), false },
        { "422", FromStatus(422, """{"error":{"message":"Unprocessable","type":"invalid_request_error"}}"""), false },
        { "context length", FromStatus(400, """{"error":{"message":"Please reduce the length of the messages or completion.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"""), false },
        { "decommissioned", FromStatus(400, """{"error":{"message":"The model `gemma-7b-it` has been decommissioned","type":"invalid_request_error","code":"model_decommissioned"}}"""), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void AllowsStaleAnswer_ServerSideOnly(string name, GroqException error, bool expected)
    {
        Assert.True(expected == CachePolicy.AllowsStaleAnswer(error), $"{name} ({error.GetType().Name}, {error.Kind})");
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(-5, "0 s")]
    [InlineData(42, "42 s")]
    [InlineData(12 * 60 + 30, "12 min")]
    [InlineData(3 * 3600 + 5 * 60, "3 h 5 min")]
    [InlineData(86400 + 60, "1 day")]
    [InlineData(3 * 86400, "3 days")]
    public void CacheAge_Format_ReadsLikeAStatusLine(int seconds, string expected)
    {
        Assert.Equal(expected, CacheAge.Format(TimeSpan.FromSeconds(seconds)));
    }

    private static GroqException FromStatus(int status, string body)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return GroqErrorParser.FromResponse(response, Encoding.UTF8.GetBytes(body), "llama-3.1-8b-instant", new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Stands in for the resilience layer's exceptions, recognised by <see cref="GroqException.Kind"/>.</summary>
    private sealed class FakeResilienceException(string kind, GroqException? inner) : GroqException("resilience", inner?.Details, inner)
    {
        public override string Kind => kind;
    }
}
