using SkGroq.Errors;
using SkGroq.Http.Resilience;

namespace SkGroq.Tests.Http.Resilience;

public sealed class GroqFailureClassifierTests
{
    public static TheoryData<string, GroqException, bool, bool, bool> Cases => new()
    {
        // name, error, retry, counts against the circuit, falls back
        { "500", Server(500), true, true, true },
        { "502", Server(502), true, true, true },
        { "408", Server(408), true, false, true },
        { "503", new GroqOverCapacityException("m", Details(503)), true, true, true },
        { "498", new GroqOverCapacityException("m", Details(498)), true, false, true },
        { "429", RateLimit(GroqRateLimitReason.ServerRejected, GroqLimitKind.TokensPerMinute), true, false, true },
        { "429 x-should-retry: false", new GroqRateLimitException("m", Details(429) with { ShouldRetry = false }) { Limit = GroqLimitKind.TokensPerMinute }, false, false, true },
        { "429 daily", RateLimit(GroqRateLimitReason.ServerRejected, GroqLimitKind.TokensPerDay), false, false, true },
        { "local rate-limit timeout", RateLimit(GroqRateLimitReason.RateLimitTimeout, GroqLimitKind.TokensPerMinute), false, false, true },
        { "local queue full", RateLimit(GroqRateLimitReason.QueueFull, GroqLimitKind.Unknown), false, false, true },
        { "connection", new GroqConnectionException("m"), true, true, false },
        { "connection refused", new GroqConnectionException("m") { Failure = GroqConnectionFailure.Refused }, true, true, false },
        { "connection timed out", new GroqConnectionException("m") { Failure = GroqConnectionFailure.Timeout }, true, true, false },
        { "host name does not resolve", new GroqConnectionException("m") { Failure = GroqConnectionFailure.NameResolution }, false, true, false },
        { "TLS handshake failed", new GroqConnectionException("m") { Failure = GroqConnectionFailure.Tls }, false, true, false },
        { "501", Server(501), false, false, false },
        { "first byte", new GroqTimeoutException("m") { TimeoutKind = GroqTimeoutKind.FirstByte }, true, true, true },
        { "deadline", new GroqTimeoutException("m") { TimeoutKind = GroqTimeoutKind.Deadline }, false, false, false },
        { "stream idle", new GroqTimeoutException("m") { TimeoutKind = GroqTimeoutKind.StreamIdle }, false, false, false },
        { "400", new GroqBadRequestException("m", Details(400)), false, false, false },
        { "400 x-should-retry: true", new GroqBadRequestException("m", Details(400) with { ShouldRetry = true }), false, false, false },
        { "401", new GroqAuthenticationException("m", Details(401)), false, false, false },
        { "403", new GroqPermissionDeniedException("m", Details(403)), false, false, false },
        { "404 model", new GroqNotFoundException("m", Details(404) with { ErrorCode = "model_not_found" }), false, false, true },
        { "404 url", new GroqNotFoundException("m", Details(404) with { ErrorCode = "unknown_url" }), false, false, false },
        { "413", new GroqRequestTooLargeException("m", Details(413)), false, false, false },
        { "422", new GroqBadRequestException("m", Details(422)), false, false, false },
        { "422 x-should-retry: true", new GroqBadRequestException("m", Details(422) with { ShouldRetry = true }), false, false, false },
        { "decommissioned", new GroqModelDecommissionedException("m", Details(400)), false, false, true },
        { "context length", new GroqContextLengthExceededException("m", Details(400)), false, false, false },
        { "tool use", new GroqToolUseFailedException("m", Details(400)), false, false, false },
        { "circuit open", new GroqCircuitOpenException("m"), false, false, true },
        { "stream interrupted", new GroqStreamInterruptedException("m", Details(503)), false, false, false },
        { "invalid 200 body", new GroqInvalidResponseException("m", Details(200)), false, false, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify(string name, GroqException error, bool retry, bool circuit, bool fallback)
    {
        Assert.True(retry == GroqFailureClassifier.IsRetryable(error, onDemandPending: false), name + ": retry");
        Assert.True(circuit == GroqFailureClassifier.CountsAgainstCircuit(error), name + ": circuit");
        Assert.True(fallback == GroqFailureClassifier.TriggersFallback(error), name + ": fallback");
    }

    [Fact]
    public void IsRetryable_FlexRequest498_IsLeftToTheOnDemandResend()
        => Assert.False(GroqFailureClassifier.IsRetryable(new GroqOverCapacityException("m", Details(498)), onDemandPending: true));

    [Fact]
    public void AttemptLimit_RefusedConnection_IsTriedTwiceAtMost()
    {
        var refused = new GroqConnectionException("m") { Failure = GroqConnectionFailure.Refused };
        Assert.Equal(2, GroqFailureClassifier.AttemptLimit(refused, maxRetryAttempts: 2));
        Assert.Equal(1, GroqFailureClassifier.AttemptLimit(refused, maxRetryAttempts: 0));

        var reset = new GroqConnectionException("m") { Failure = GroqConnectionFailure.Other };
        Assert.Equal(3, GroqFailureClassifier.AttemptLimit(reset, maxRetryAttempts: 2));
    }

    [Fact]
    public void CountsAgainstCircuit_NonGroqExceptions_DoNotCount()
    {
        Assert.False(GroqFailureClassifier.CountsAgainstCircuit(new OperationCanceledException()));
        Assert.False(GroqFailureClassifier.CountsAgainstCircuit(new InvalidOperationException()));
    }

    [Theory]
    [InlineData(503, "503 over capacity")]
    [InlineData(498, "498 flex capacity exceeded")]
    public void Describe_OverCapacity(int status, string expected)
        => Assert.Equal(expected, GroqFailureClassifier.Describe(new GroqOverCapacityException("m", Details(status))));

    [Fact]
    public void Describe_SaysWhatHappenedInAFewWords()
    {
        Assert.Equal("500 server error", GroqFailureClassifier.Describe(Server(500)));
        Assert.Equal("429 rate limited (tokens/day)", GroqFailureClassifier.Describe(RateLimit(GroqRateLimitReason.ServerRejected, GroqLimitKind.TokensPerDay)));
        Assert.Equal("no tokens/minute quota before the deadline", GroqFailureClassifier.Describe(RateLimit(GroqRateLimitReason.RateLimitTimeout, GroqLimitKind.TokensPerMinute)));
        Assert.Equal("quota queue full", GroqFailureClassifier.Describe(RateLimit(GroqRateLimitReason.QueueFull, GroqLimitKind.Unknown)));
        Assert.Equal("connection failed", GroqFailureClassifier.Describe(new GroqConnectionException("m")));
        Assert.Equal("no response within 30.0 s", GroqFailureClassifier.Describe(new GroqTimeoutException("m") { Timeout = TimeSpan.FromSeconds(30) }));
        Assert.Equal("circuit open after repeated failures", GroqFailureClassifier.Describe(new GroqCircuitOpenException("m")));
        Assert.Equal("404 model_not_found", GroqFailureClassifier.Describe(new GroqNotFoundException("m", Details(404) with { ErrorCode = "model_not_found" })));
        Assert.Equal("400 model_decommissioned", GroqFailureClassifier.Describe(new GroqModelDecommissionedException("m", Details(400))));
        Assert.Equal("401 authentication", GroqFailureClassifier.Describe(new GroqAuthenticationException("m", Details(401))));
    }

    private static GroqErrorDetails Details(int status) => new() { StatusCode = status };

    private static GroqServerException Server(int status) => new("m", Details(status));

    private static GroqRateLimitException RateLimit(GroqRateLimitReason reason, GroqLimitKind limit)
        => new("m", reason == GroqRateLimitReason.ServerRejected ? Details(429) : null) { Reason = reason, Limit = limit };
}
