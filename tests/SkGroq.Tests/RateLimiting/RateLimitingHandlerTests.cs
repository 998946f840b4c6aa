using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.Tests.Context;
using SkGroq.Tokens;
using SkGroq.Usage;
using static System.FormattableString;

namespace SkGroq.Tests.RateLimiting;

public sealed class RateLimitingHandlerTests : IDisposable
{
    private const string Model = "llama-3.1-8b-instant";
    private const string ApiKey = "gsk_test_0123456789abcdefSECRET";
    private static readonly QuotaKey s_key = new("org_test", Model);
    private static readonly TimeSpan s_guard = TimeSpan.FromTicks(QuotaBucket.GuardTicks);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenEstimator _estimator = new(promptTokens: 100, budgetTokens: 120);
    private readonly StubHandler _stub = new();
    private readonly FakeLogger<RateLimitingHandler> _logger = new();
    private readonly ServiceProvider _meterServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly InMemoryQuotaStore _store;
    private readonly QuotaLimiter _limiter;
    private readonly RateLimitingMetrics _metrics;
    private HttpClient _client;
    private RateLimitingHandler? _handler;

    public RateLimitingHandlerTests()
    {
        _store = new InMemoryQuotaStore(_time);
        _limiter = new QuotaLimiter(_store, _time, maxQueueLength: 100);
        _metrics = new RateLimitingMetrics(_limiter, MeterFactory);
        _client = CreateClient();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IMeterFactory MeterFactory => _meterServices.GetRequiredService<IMeterFactory>();

    public void Dispose()
    {
        _client.Dispose();
        _limiter.Dispose();
        _metrics.Dispose();
        _meterServices.Dispose();
    }

    [Fact]
    public async Task Send_ModelsList_PassesThroughWithoutQuota()
    {
        _stub.Enqueue(request => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });

        using HttpResponseMessage response = await _client.GetAsync(new Uri("models", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, _estimator.EstimateCalls);
        Assert.Equal(0, (await _store.GetSnapshotAsync(s_key, Ct)).RequestsPerMinute.Used);
    }

    [Fact]
    public async Task Send_Disabled_PassesThroughWithoutEstimating()
    {
        _client.Dispose();
        _client = CreateClient(o => o.RateLimiting.Enabled = false);
        _stub.Enqueue(request => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request });

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: 100_000), Ct);

        Assert.Equal(0, _estimator.EstimateCalls);
    }

    [Fact]
    public async Task Send_ChatCompletion_ReservesBudgetPlusMaxTokens_ThenSettlesToUsageMinusCachedTokens()
    {
        ResponseObservation? observation = null;
        _stub.Enqueue(request =>
        {
            GroqRequestInfo info = GroqRequestInfo.Get(request)!;
            Assert.Equal(100, info.EstimatedPromptTokens);
            return Ok(request, null, out observation);
        });

        using HttpRequestMessage request = Chat(maxTokens: 500);
        using HttpResponseMessage response = await _client.SendAsync(request, Ct);

        QuotaSnapshot inFlight = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(620, inFlight.InFlightTokens); // budget 120 + max tokens 500
        Assert.Equal(620, inFlight.TokensPerMinute.Used);

        observation!.TryComplete(Outcome(new GroqUsage(104, 50, 154) { CachedTokens = 40 }));
        Assert.Equal(104, await _estimator.FirstObserved.WaitAsync(TimeSpan.FromSeconds(30), Ct));

        QuotaSnapshot settled = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, settled.InFlightRequests);
        Assert.Equal(114, settled.TokensPerMinute.Used); // 104 + 50 − 40 cached
        Assert.Equal(1, settled.RequestsPerMinute.Used);
        (string model, _, RequestTokenEstimate estimate, long reported) = Assert.Single(_estimator.Observed);
        Assert.Equal(Model, model);
        Assert.Equal(100, estimate.PromptTokens);
        Assert.Equal(104, reported);
    }

    [Fact]
    public async Task Send_WithoutMaxTokens_ReservesTheConfiguredDefault()
    {
        _client.Dispose();
        _client = CreateClient(o => o.RateLimiting.DefaultMaxTokensReservation = 300);
        _stub.Enqueue(request => Ok(request, null, out _));

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: null), Ct);

        Assert.Equal(420, (await _store.GetSnapshotAsync(s_key, Ct)).InFlightTokens);
    }

    [Fact]
    public async Task Send_WithoutMaxTokens_DefaultIsCappedByTheModelsLargestCompletion()
    {
        _client.Dispose();
        _client = CreateClient(o => o.Models[Model] = new ModelOverride { MaxCompletionTokens = 200 });
        _stub.Enqueue(request => Ok(request, null, out _));

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: null), Ct);

        Assert.Equal(320, (await _store.GetSnapshotAsync(s_key, Ct)).InFlightTokens);
    }

    [Fact]
    public async Task Send_WithoutMaxTokensNearTheLimit_ReservesWhatTheLimitHoldsInsteadOfFailing()
    {
        _estimator.PromptTokens = 5_500;
        _estimator.BudgetTokens = 5_800;
        _stub.Enqueue(request => Ok(request, null, out _));

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: null), Ct);

        Assert.Equal(6_000, (await _store.GetSnapshotAsync(s_key, Ct)).InFlightTokens);
    }

    [Fact]
    public async Task Send_LargerThanTheContextWindow_FailsAtOnceWithoutSending()
    {
        _client.Dispose();
        _client = CreateClient(o => o.Models[Model] = new ModelOverride { ContextWindow = 1_000 });
        _estimator.PromptTokens = 900;

        GroqContextLengthExceededException error = await Assert.ThrowsAsync<GroqContextLengthExceededException>(() => _client.SendAsync(Chat(maxTokens: 200), Ct));

        Assert.Equal(1_000, error.ContextWindow);
        Assert.Equal(1_100, error.RequestedTokens);
        Assert.Contains("Shorten the history or lower max tokens", error.Message, StringComparison.Ordinal);
        Assert.Contains("1,000-token context window of llama-3.1-8b-instant", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _stub.Calls);
    }

    [Fact]
    public async Task Send_LargerThanTokensPerMinute_FailsAtOnceAsTooLarge()
    {
        using var rejections = new MetricCollector<long>(MeterFactory, RateLimitingMetrics.MeterName, "skgroq.ratelimit.rejections");

        GroqRequestTooLargeException error = await Assert.ThrowsAsync<GroqRequestTooLargeException>(() => _client.SendAsync(Chat(maxTokens: 8_000), Ct));

        Assert.True(error.IsLocal);
        Assert.Equal(GroqLimitKind.TokensPerMinute, error.Limit);
        Assert.Equal(8_100, error.Requested);
        Assert.Equal(0, _stub.Calls);
        CollectedMeasurement<long> rejection = Assert.Single(rejections.GetMeasurementSnapshot());
        Assert.Equal("request_too_large", rejection.Tags["reason"]);
        Assert.Equal("TPM", rejection.Tags["limit"]);
    }

    [Fact]
    public async Task Send_QuotaShort_WaitsReportsStatusAndRecordsTheWait()
    {
        using var waits = new MetricCollector<double>(MeterFactory, RateLimitingMetrics.MeterName, "skgroq.ratelimit.wait.duration");
        _stub.Enqueue(request => Ok(request, null, out _));
        _stub.Enqueue(request => Ok(request, null, out _));
        using HttpResponseMessage first = await _client.SendAsync(Chat(maxTokens: 5_880), Ct); // all 6,000 tokens

        var status = new StatusRecorder();
        Task<HttpResponseMessage> second;
        HttpRequestMessage secondRequest = Chat(maxTokens: 880);
        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = status }))
        {
            second = _client.SendAsync(secondRequest, Ct);
        }

        GroqRequestStatus report = await status.First.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(Invariant($"waiting {10 + (QuotaBucket.GuardTicks / (double)TimeSpan.TicksPerSecond):F1} s for tokens/minute on llama-3.1-8b-instant"), report.Message);
        Assert.False(second.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(10) + s_guard);

        using HttpResponseMessage response = await second.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(TimeSpan.FromSeconds(10) + s_guard, GroqRequestInfo.Get(secondRequest)!.QueueWait);
        IReadOnlyList<CollectedMeasurement<double>> recorded = waits.GetMeasurementSnapshot();
        Assert.Equal(2, recorded.Count);
        Assert.Equal("none", recorded[0].Tags["limit"]);
        Assert.Equal((TimeSpan.FromSeconds(10) + s_guard).TotalSeconds, recorded[1].Value);
        Assert.Equal("TPM", recorded[1].Tags["limit"]);
        Assert.Equal(Model, recorded[1].Tags["gen_ai.request.model"]);
        secondRequest.Dispose();
    }

    [Fact]
    public async Task Send_QuotaCannotFreeBeforeTheDeadline_FailsAtOnceWithRateLimitTimeout()
    {
        _stub.Enqueue(request => Ok(request, null, out _));
        using HttpResponseMessage first = await _client.SendAsync(Chat(maxTokens: 5_880), Ct);

        GroqRateLimitException error;
        using (GroqRequestContext.Begin(new GroqRequestOptions { Timeout = TimeSpan.FromSeconds(5) }))
        {
            error = await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 1_880), Ct));
        }

        Assert.Equal(GroqRateLimitReason.RateLimitTimeout, error.Reason);
        Assert.Equal(GroqLimitKind.TokensPerMinute, error.Limit);
        Assert.Equal(TimeSpan.FromSeconds(20) + s_guard, error.Wait);
        Assert.Equal(1, _stub.Calls);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Name == "QuotaTimeout");
    }

    [Fact]
    public async Task Send_ServerError_ReleasesTheReservationAndRethrows()
    {
        var failure = new GroqServerException("Groq failed with 500", new GroqErrorDetails { StatusCode = 500 });
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(failure));

        Assert.Same(failure, await Assert.ThrowsAsync<GroqServerException>(() => _client.SendAsync(Chat(maxTokens: 500), Ct)));

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.Equal(0, snapshot.TokensPerMinute.Used);
        Assert.Equal(0, snapshot.RequestsPerMinute.Used);
    }

    [Fact]
    public async Task Send_ErrorWithRateLimitHeaders_LearnsFromThem()
    {
        var failure = new GroqBadRequestException("Groq rejected the request (400)", new GroqErrorDetails
        {
            StatusCode = 400,
            RateLimits = new GroqRateLimitHeaders(14_400, 14_000, null, 6_000, 2_000, null),
        });
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(failure));

        await Assert.ThrowsAsync<GroqBadRequestException>(() => _client.SendAsync(Chat(maxTokens: 500), Ct));

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(4_000, snapshot.TokensPerMinute.Used);
        Assert.Equal(400, snapshot.RequestsPerDay.Used);
    }

    [Fact]
    public async Task Send_CancelledWhileSending_ReleasesTheReservation()
    {
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(new OperationCanceledException()));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.SendAsync(Chat(maxTokens: 500), Ct));

        Assert.Equal(0, (await _store.GetSnapshotAsync(s_key, Ct)).InFlightRequests);
    }

    [Fact]
    public async Task Send_Server429_PausesTheModelForTheServersWaitAndRethrowsWithoutRetrying()
    {
        using var serverRejections = new MetricCollector<long>(MeterFactory, RateLimitingMetrics.MeterName, "skgroq.ratelimit.server_rejections");
        GroqException rejected = ServerError(
            HttpStatusCode.TooManyRequests,
            "{\"error\":{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5959, Requested 400. Please try again in 3.6s\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}",
            ("retry-after", "4"));
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(rejected));

        Assert.Same(rejected, await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 280), Ct)));

        Assert.Equal(1, _stub.Calls);
        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(TimeSpan.FromSeconds(3.6), snapshot.PausedFor);
        Assert.Equal(5_959, snapshot.TokensPerMinute.Used);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.Equal("TPM", Assert.Single(serverRejections.GetMeasurementSnapshot()).Tags["limit"]);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Name == "QuotaServerRejected");

        // The retry (by the resilience layer above) comes back through the queue and waits out the pause.
        _stub.Enqueue(request => Ok(request, null, out _));
        var status = new StatusRecorder();
        Task<HttpResponseMessage> retry;
        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = status }))
        {
            retry = _client.SendAsync(Chat(maxTokens: 1), Ct);
        }

        await status.First.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(retry.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(4));
        using HttpResponseMessage response = await retry.WaitAsync(TimeSpan.FromSeconds(30), Ct);
    }

    [Theory]
    [InlineData("40ms", 40)]
    [InlineData("172.799999ms", 172.799999)]
    [InlineData("2.5s", 2_500)]
    [InlineData("14m52s", 60_000)] // a per-minute limit never needs more than a minute: a longer hint is misread, not waited out
    public async Task Send_Server429_PausesForExactlyTheServersWait(string tryAgainIn, double milliseconds)
    {
        // "40ms" once read as 40 minutes: the model stayed paused and every later request failed.
        GroqException rejected = ServerError(
            HttpStatusCode.TooManyRequests,
            $"{{\"error\":{{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5990, Requested 40. Please try again in {tryAgainIn}.\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}}}");
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(rejected));

        await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 10), Ct));

        TimeSpan expected = TimeSpan.FromMilliseconds(milliseconds);
        TimeSpan paused = (await _store.GetSnapshotAsync(s_key, Ct)).PausedFor;
        Assert.InRange((paused - expected).Duration().Ticks, 0, 1);
    }

    [Fact]
    public async Task Send_Server429OnADailyLimit_LaterRequestsFailAtOnceSayingWhenItFrees()
    {
        GroqException rejected = ServerError(
            HttpStatusCode.TooManyRequests,
            "{\"error\":{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` on tokens per day (TPD): Limit 100000, Used 99290, Requested 1743. Please try again in 14m52s.\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}");
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(rejected));
        await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 100), Ct));

        GroqRateLimitException error = await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 100), Ct));

        Assert.Equal(GroqRateLimitReason.RateLimitTimeout, error.Reason);
        Assert.Equal(GroqLimitKind.TokensPerDay, error.Limit);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(892), error.FreesAt);
        Assert.Contains("tokens/day on llama-3.1-8b-instant", error.Message, StringComparison.Ordinal);
        Assert.Contains("Daily limits free slowly", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _stub.Calls);
    }

    [Fact]
    public async Task Send_Raw429WithoutTheInspectionHandler_ReleasesAndPauses()
    {
        _stub.Enqueue(request =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request };
            response.Headers.TryAddWithoutValidation("retry-after", "2");
            return response;
        });

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: 100), Ct);

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.Equal(TimeSpan.FromSeconds(2), snapshot.PausedFor);
    }

    [Fact]
    public async Task Send_HeadersShowMoreUsage_RaisesOurCount()
    {
        _stub.Enqueue(request => Ok(request, new GroqRateLimitHeaders(14_400, 14_000, null, 6_000, 3_000, null), out _));

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: 100), Ct);

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(3_000, snapshot.TokensPerMinute.Used);
        Assert.Equal(400, snapshot.RequestsPerDay.Used);
    }

    [Theory]
    [InlineData("60476035270016056h")] // beyond decimal's range: once an OverflowException out of the header parser
    [InlineData("-1s")]
    [InlineData("soon")]
    public async Task Send_ResetHeaderOutOfRange_AnswersAndLearnsTheRest(string reset)
    {
        _stub.Enqueue(request =>
        {
            HttpResponseMessage response = Ok(request, new GroqRateLimitHeaders(14_400, 14_000, null, 6_000, 3_000, null), out _);
            response.Headers.TryAddWithoutValidation(GroqRateLimitHeaders.ResetTokensHeader, reset);
            return response;
        });

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: 100), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(3_000, snapshot.TokensPerMinute.Used);
        Assert.Equal(400, snapshot.RequestsPerDay.Used);
    }

    [Fact]
    public async Task Send_NoObservation_SettlesToTheReservation()
    {
        _stub.Enqueue(request => new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("{}") });

        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: 380), Ct);

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.Equal(500, snapshot.TokensPerMinute.Used);
    }

    [Fact]
    public async Task Send_StreamCutShortWithoutUsage_KeepsTheReservationCounted()
    {
        ResponseObservation? observation = null;
        _stub.Enqueue(request => Ok(request, null, out observation));
        using HttpResponseMessage response = await _client.SendAsync(Chat(maxTokens: 380), Ct);

        observation!.TryComplete(new ResponseOutcome(ResponseEndKind.Failed, null, null, null, 3, null, 0, new IOException("reset")));
        await WaitForLogAsync("QuotaSettled");

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        Assert.Equal(0, snapshot.InFlightRequests);
        Assert.Equal(500, snapshot.TokensPerMinute.Used);
        Assert.Empty(_estimator.Observed);
    }

    [Fact]
    public async Task Send_RetryOfTheRecordedServer429_ReservesWhatTheServerCounted_AndGoesAtTheServersTime()
    {
        // Recorded: 41 of 6,000 tokens left, reset 59.59s, "Requested 400. Please try again in 1s". Reserving our own guess
        // (prompt + 1,024) against the local bucket held the retry for ten seconds.
        GroqException rejected = ServerError(
            HttpStatusCode.TooManyRequests,
            "{\"error\":{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5959, Requested 400. Please try again in 1s.\",\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"}}",
            ("retry-after", "1"),
            ("x-ratelimit-limit-tokens", "6000"),
            ("x-ratelimit-remaining-tokens", "41"),
            ("x-ratelimit-reset-tokens", "59.59s"));
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(rejected));
        using var invoker = new HttpMessageInvoker(_handler!, disposeHandler: false);

        // One request sent twice, as the retry layer above sends it: what the server said of it travels with it.
        using HttpRequestMessage request = Chat(maxTokens: null, absolute: true);
        await Assert.ThrowsAsync<GroqRateLimitException>(() => invoker.SendAsync(request, Ct));
        Assert.Equal(5_959, (await _store.GetSnapshotAsync(s_key, Ct)).TokensPerMinute.Used);
        _time.Advance(TimeSpan.FromSeconds(1));

        long reserved = 0;
        _stub.Enqueue(async (r, ct) =>
        {
            reserved = (await _store.GetSnapshotAsync(s_key, ct)).InFlightTokens;
            return Ok(r, null, out _);
        });
        Task<HttpResponseMessage> retry = invoker.SendAsync(request, Ct);

        Assert.True(retry.IsCompletedSuccessfully, "the retry waited past the server's word");
        (await retry).Dispose();
        Assert.Equal(400, reserved);
    }

    [Theory]
    [InlineData("requests per minute (RPM)", "requests", 20)]
    [InlineData("requests per day (RPD)", "requests", 1_000)]
    [InlineData("tokens per minute (TPM)", "tokens", 5_000)]
    [InlineData("tokens per day (TPD)", "tokens", 100_000)]
    public async Task Send_Server429Body_SetsTheLimitItNames(string window, string type, long limit)
    {
        GroqException rejected = ServerError(
            HttpStatusCode.TooManyRequests,
            $"{{\"error\":{{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01` service tier `on_demand` on {window}: Limit {limit}, Used {limit - 1}, Requested 2. Please try again in 2s.\",\"type\":\"{type}\",\"code\":\"rate_limit_exceeded\"}}}}");
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(rejected));

        await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 1), Ct));

        QuotaSnapshot snapshot = await _store.GetSnapshotAsync(s_key, Ct);
        QuotaLevel level = window[^4..^1] switch
        {
            "RPM" => snapshot.RequestsPerMinute,
            "RPD" => snapshot.RequestsPerDay,
            "TPM" => snapshot.TokensPerMinute,
            _ => snapshot.TokensPerDay,
        };
        Assert.Equal(limit, level.Limit);
        Assert.Equal(limit - 1, level.Used);
    }

    [Fact]
    public async Task Send_WithoutMaxTokens_TheReservationConvergesOnTheCompletionsSeen()
    {
        async Task<long> ReserveAsync()
        {
            long reserved = 0;
            ResponseObservation? observation = null;
            _stub.Enqueue(async (r, ct) =>
            {
                reserved = (await _store.GetSnapshotAsync(s_key, ct)).InFlightTokens;
                HttpResponseMessage response = Ok(r, null, out ResponseObservation answered);
                observation = answered;
                return response;
            });
            (await _client.SendAsync(Chat(maxTokens: null), Ct)).Dispose();
            observation!.TryComplete(Outcome(new GroqUsage(100, 60, 160)));
            _time.Advance(TimeSpan.FromMinutes(1));
            return reserved;
        }

        // The estimator's budget is 120 prompt tokens; the completion part starts at the configured 1,024.
        Assert.Equal(120 + 1_024, await ReserveAsync());
        for (int i = 1; i < CompletionReservation.MinimumSamples; i++)
        {
            Assert.Equal(120 + 1_024, await ReserveAsync());
        }

        Assert.Equal(120 + 60, await ReserveAsync());
    }

    [Fact]
    public async Task Send_NeverLogsTheApiKey()
    {
        GroqException rejected = ServerError(HttpStatusCode.TooManyRequests, "{\"error\":{\"message\":\"Rate limit reached for model `llama-3.1-8b-instant` on requests per minute (RPM): Limit 30, Used 30, Requested 1. Please try again in 2s.\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
        _stub.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(rejected));
        await Assert.ThrowsAsync<GroqRateLimitException>(() => _client.SendAsync(Chat(maxTokens: 100), Ct));
        await Assert.ThrowsAsync<GroqRequestTooLargeException>(() => _client.SendAsync(Chat(maxTokens: 10_000), Ct));

        Assert.NotEmpty(_logger.Collector.GetSnapshot());
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Message.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public void Organization_PrefersTheConfiguredLabel_ElseAKeyFingerprint_NeverTheKey()
    {
        Assert.Equal("org_1", new GroqOptions { ApiKey = ApiKey, Organization = " org_1 " }.ToPipelineSettings().Organization);
        Assert.Equal("org_1", new GroqOptions { ApiKey = ApiKey, Organization = " org_1 " }.ToPipelineSettings().CachePartition);
        string? fingerprint = new GroqOptions { ApiKey = ApiKey }.ToPipelineSettings().Organization;
        Assert.Equal(GroqApiKey.Fingerprint(ApiKey), fingerprint);
        Assert.DoesNotContain("SECRET", fingerprint, StringComparison.Ordinal);
        Assert.Null(new GroqOptions { ApiKey = ApiKey }.ToPipelineSettings().CachePartition);
        Assert.Null(new GroqOptions().ToPipelineSettings().Organization);
    }

    [Fact]
    public async Task QueueLength_IsObservedPerModel()
    {
        using var queueLength = new MetricCollector<int>(MeterFactory, RateLimitingMetrics.MeterName, "skgroq.ratelimit.queue.length");
        _stub.Enqueue(request => Ok(request, null, out _));
        using HttpResponseMessage first = await _client.SendAsync(Chat(maxTokens: 5_880), Ct);
        _stub.Enqueue(request => Ok(request, null, out _));
        Task<HttpResponseMessage> waiting = _client.SendAsync(Chat(maxTokens: 100), Ct);

        queueLength.RecordObservableInstruments();

        CollectedMeasurement<int> measurement = Assert.Single(queueLength.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(Model, measurement.Tags["gen_ai.request.model"]);
        _time.Advance(TimeSpan.FromMinutes(1));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct)).Dispose();
    }

    private HttpClient CreateClient(Action<GroqOptions>? configure = null)
    {
        var options = new GroqOptions { ApiKey = ApiKey, Organization = "org_test" };
        configure?.Invoke(options);
        var completions = new CompletionReservation(options.RateLimiting.DefaultMaxTokensReservation, options.RateLimiting.LearnMaxTokensReservation);
        var handler = _handler = new RateLimitingHandler(_limiter, _estimator, new ModelCatalog(options.Tier, options.Models), Options.Create(options.RateLimiting), options.ToPipelineSettings(), _time, _metrics, completions, _logger)
        {
            InnerHandler = _stub,
        };
        return new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri("https://api.groq.com/openai/v1/") };
    }

    private static HttpRequestMessage Chat(int? maxTokens, bool absolute = false)
    {
        string max = maxTokens is { } m ? $",\"max_tokens\":{m}" : string.Empty;
        return new HttpRequestMessage(HttpMethod.Post, absolute ? new Uri("https://api.groq.com/openai/v1/chat/completions") : new Uri("chat/completions", UriKind.Relative))
        {
            Content = new StringContent($"{{\"model\":\"{Model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"Hi\"}}]{max}}}", Encoding.UTF8, "application/json"),
        };
    }

    private HttpResponseMessage Ok(HttpRequestMessage request, GroqRateLimitHeaders? headers, out ResponseObservation observation)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new StringContent("{}") };
        if (headers is not null)
        {
            // As Groq sends them; the limiter reads them from the response.
            (string Name, object? Value)[] values =
            [
                (GroqRateLimitHeaders.LimitRequestsHeader, headers.LimitRequests),
                (GroqRateLimitHeaders.RemainingRequestsHeader, headers.RemainingRequests),
                (GroqRateLimitHeaders.ResetRequestsHeader, headers.ResetRequests is { } resetRequests ? GoDuration.Format(resetRequests) : null),
                (GroqRateLimitHeaders.LimitTokensHeader, headers.LimitTokens),
                (GroqRateLimitHeaders.RemainingTokensHeader, headers.RemainingTokens),
                (GroqRateLimitHeaders.ResetTokensHeader, headers.ResetTokens is { } resetTokens ? GoDuration.Format(resetTokens) : null),
            ];
            foreach ((string name, object? value) in values.Where(v => v.Value is not null))
            {
                response.Headers.TryAddWithoutValidation(name, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        observation = new ResponseObservation("req_01", streaming: false, _time.GetTimestamp());
        GroqRequestInfo.Get(request)!.Observation = observation;
        return response;
    }

    private static ResponseOutcome Outcome(GroqUsage usage) => new(ResponseEndKind.Completed, usage, Model, "stop", 1, null, 0, null);

    private GroqException ServerError(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach ((string name, string value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return GroqErrorParser.FromResponse(response, Encoding.UTF8.GetBytes(body), Model, _time.GetUtcNow());
    }

    private async Task WaitForLogAsync(string eventName)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await foreach (FakeLogRecord record in _logger.Collector.GetLogsAsync(timeout.Token))
        {
            if (record.Id.Name == eventName)
            {
                return;
            }
        }
    }
}
