using System.Net;
using System.Text;
using SkGroq.Errors;
using SkGroq.Inspection;
using SkGroq.Resilience;

namespace SkGroq.Tests.Resilience;

public sealed class GroqFailurePolicyTests
{
    public static TheoryData<string, GroqException, bool, bool, bool, bool> Cases => new()
    {
        // name, error, retry, counts against the circuit, falls back, a stale cached answer may stand in
        { "500", Server(500), true, true, true, true },
        { "502", Server(502), true, true, true, true },
        { "408", Server(408), true, false, true, true },
        { "503", new GroqOverCapacityException("m", Details(503)), true, true, true, true },
        { "498", new GroqOverCapacityException("m", Details(498)), true, false, true, true },
        { "429", RateLimit(GroqRateLimitReason.ServerRejected, GroqLimitKind.TokensPerMinute), true, false, true, true },
        { "429 x-should-retry: false", new GroqRateLimitException("m", Details(429) with { ShouldRetry = false }) { Limit = GroqLimitKind.TokensPerMinute }, false, false, true, true },
        { "429 daily", RateLimit(GroqRateLimitReason.ServerRejected, GroqLimitKind.TokensPerDay), false, false, true, true },
        { "local rate-limit timeout", RateLimit(GroqRateLimitReason.RateLimitTimeout, GroqLimitKind.TokensPerMinute), false, false, true, true },
        { "local queue full", RateLimit(GroqRateLimitReason.QueueFull, GroqLimitKind.Unknown), false, false, true, true },
        { "connection", new GroqConnectionException("m"), true, true, false, true },
        { "connection refused", new GroqConnectionException("m") { Failure = GroqConnectionFailure.Refused }, true, true, false, true },
        { "connection timed out", new GroqConnectionException("m") { Failure = GroqConnectionFailure.Timeout }, true, true, false, true },
        { "host name does not resolve", new GroqConnectionException("m") { Failure = GroqConnectionFailure.NameResolution }, false, true, false, true },
        { "TLS handshake failed", new GroqConnectionException("m") { Failure = GroqConnectionFailure.Tls }, false, true, false, true },
        { "501", Server(501), false, false, false, true },
        { "first byte", new GroqTimeoutException("m") { TimeoutKind = GroqTimeoutKind.FirstByte }, true, true, true, true },
        { "deadline", new GroqTimeoutException("m") { TimeoutKind = GroqTimeoutKind.Deadline }, false, false, false, true },
        { "stream idle", new GroqTimeoutException("m") { TimeoutKind = GroqTimeoutKind.StreamIdle }, false, false, false, true },
        { "400", new GroqBadRequestException("m", Details(400)), false, false, false, false },
        { "400 x-should-retry: true", new GroqBadRequestException("m", Details(400) with { ShouldRetry = true }), false, false, false, false },
        { "401", new GroqAuthenticationException("m", Details(401)), false, false, false, false },
        { "403", new GroqPermissionDeniedException("m", Details(403)), false, false, false, false },
        { "404 model", new GroqNotFoundException("m", Details(404) with { ErrorCode = "model_not_found" }), false, false, true, false },
        { "404 url", new GroqNotFoundException("m", Details(404) with { ErrorCode = "unknown_url" }), false, false, false, false },
        { "413", new GroqRequestTooLargeException("m", Details(413)), false, false, false, false },
        { "422", new GroqBadRequestException("m", Details(422)), false, false, false, false },
        { "422 x-should-retry: true", new GroqBadRequestException("m", Details(422) with { ShouldRetry = true }), false, false, false, false },
        { "decommissioned", new GroqModelDecommissionedException("m", Details(400)), false, false, true, false },
        { "context length", new GroqContextLengthExceededException("m", Details(400)), false, false, false, false },
        { "tool use", new GroqToolUseFailedException("m", Details(400)), false, false, false, false },
        { "circuit open", new GroqCircuitOpenException("m"), false, false, true, true },
        { "stream interrupted", new GroqStreamInterruptedException("m", Details(503)), false, false, false, false },
        { "invalid 200 body", new GroqInvalidResponseException("m", Details(200)), false, false, false, false },
        { "fallback exhausted after 503", new GroqFallbackExhaustedException("m", [new GroqOverCapacityException("m", Details(503)), Server(500)]), true, false, true, true },
        { "fallback exhausted after 404", new GroqFallbackExhaustedException("m", [new GroqNotFoundException("m", Details(404) with { ErrorCode = "model_not_found" })]), false, false, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify(string name, GroqException error, bool retry, bool circuit, bool fallback, bool stale)
    {
        Assert.True(retry == GroqFailurePolicy.IsRetryable(error, onDemandPending: false), name + ": retry");
        Assert.True(circuit == GroqFailurePolicy.CountsAgainstCircuit(error), name + ": circuit");
        Assert.True(fallback == GroqFailurePolicy.TriggersFallback(error), name + ": fallback");
        Assert.True(stale == GroqFailurePolicy.AllowsStaleAnswer(error), name + ": stale answer");
    }

    [Fact]
    public void IsRetryable_FlexRequest498_IsLeftToTheOnDemandResend()
        => Assert.False(GroqFailurePolicy.IsRetryable(new GroqOverCapacityException("m", Details(498)), onDemandPending: true));

    [Fact]
    public void AttemptLimit_RefusedConnection_IsTriedTwiceAtMost()
    {
        var refused = new GroqConnectionException("m") { Failure = GroqConnectionFailure.Refused };
        Assert.Equal(2, GroqFailurePolicy.AttemptLimit(refused, maxRetryAttempts: 2));
        Assert.Equal(1, GroqFailurePolicy.AttemptLimit(refused, maxRetryAttempts: 0));

        var reset = new GroqConnectionException("m") { Failure = GroqConnectionFailure.Other };
        Assert.Equal(3, GroqFailurePolicy.AttemptLimit(reset, maxRetryAttempts: 2));
    }

    [Fact]
    public void CountsAgainstCircuit_NonGroqExceptions_DoNotCount()
    {
        Assert.False(GroqFailurePolicy.CountsAgainstCircuit(new OperationCanceledException()));
        Assert.False(GroqFailurePolicy.CountsAgainstCircuit(new InvalidOperationException()));
    }

    [Theory]
    [InlineData(503, "503 over capacity")]
    [InlineData(498, "498 flex capacity exceeded")]
    public void Describe_OverCapacity(int status, string expected)
        => Assert.Equal(expected, GroqFailurePolicy.Describe(new GroqOverCapacityException("m", Details(status))));

    [Fact]
    public void Describe_SaysWhatHappenedInAFewWords()
    {
        Assert.Equal("500 server error", GroqFailurePolicy.Describe(Server(500)));
        Assert.Equal("429 rate limited (tokens/day)", GroqFailurePolicy.Describe(RateLimit(GroqRateLimitReason.ServerRejected, GroqLimitKind.TokensPerDay)));
        Assert.Equal("no tokens/minute quota before the deadline", GroqFailurePolicy.Describe(RateLimit(GroqRateLimitReason.RateLimitTimeout, GroqLimitKind.TokensPerMinute)));
        Assert.Equal("quota queue full", GroqFailurePolicy.Describe(RateLimit(GroqRateLimitReason.QueueFull, GroqLimitKind.Unknown)));
        Assert.Equal("connection failed", GroqFailurePolicy.Describe(new GroqConnectionException("m")));
        Assert.Equal("no response within 30.0 s", GroqFailurePolicy.Describe(new GroqTimeoutException("m") { Timeout = TimeSpan.FromSeconds(30) }));
        Assert.Equal("circuit open after repeated failures", GroqFailurePolicy.Describe(new GroqCircuitOpenException("m")));
        Assert.Equal("404 model_not_found", GroqFailurePolicy.Describe(new GroqNotFoundException("m", Details(404) with { ErrorCode = "model_not_found" })));
        Assert.Equal("400 model_decommissioned", GroqFailurePolicy.Describe(new GroqModelDecommissionedException("m", Details(400))));
        Assert.Equal("401 authentication", GroqFailurePolicy.Describe(new GroqAuthenticationException("m", Details(401))));
    }

    private static GroqErrorDetails Details(int status) => new() { StatusCode = status };

    private static GroqServerException Server(int status) => new("m", Details(status));

    private static GroqRateLimitException RateLimit(GroqRateLimitReason reason, GroqLimitKind limit)
        => new("m", reason == GroqRateLimitReason.ServerRejected ? Details(429) : null) { Reason = reason, Limit = limit };

    /// <summary>The stale-answer decision on the exceptions the parser makes of recorded Groq error bodies.</summary>
    public static TheoryData<string, GroqException, bool> RecordedFailures => new()
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
        { "circuit open", new GroqCircuitOpenException("circuit open"), true },
        { "fallback exhausted after 503", new GroqFallbackExhaustedException("every model failed", [FromStatus(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""")]), true },
        { "fallback exhausted after 404", new GroqFallbackExhaustedException("every model failed", [FromStatus(404, """{"error":{"message":"The model `x` does not exist","type":"invalid_request_error","code":"model_not_found"}}""")]), false },
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
    [MemberData(nameof(RecordedFailures))]
    public void AllowsStaleAnswer_ServerSideOnly(string name, GroqException error, bool expected)
    {
        Assert.True(expected == GroqFailurePolicy.AllowsStaleAnswer(error), $"{name} ({error.GetType().Name}, {error.Kind})");
    }

    private static GroqException FromStatus(int status, string body)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return GroqErrorParser.FromResponse(response, Encoding.UTF8.GetBytes(body), "llama-3.1-8b-instant", new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    }
}
