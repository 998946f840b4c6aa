using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Resilience;
using SkGroq.Tests.Context;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace SkGroq.Tests.Resilience;

/// <summary>
/// The resilience handler's model fallback over a hand-written inner handler, for failures the emulator cannot produce from
/// below the resilience layer: the local rate limiter's RateLimitTimeout and QueueFull and daily limits. Retries are off, so
/// each scripted failure is one model's last word.
/// </summary>
public sealed class ModelFallbackDecisionTests
{
    private const string Primary = "llama-3.3-70b-versatile";
    private const string Secondary = "llama-3.1-8b-instant";

    public static TheoryData<GroqException> QuotaFailures => new()
    {
        new GroqRateLimitException("no quota before the deadline", new GroqErrorDetails { Model = Primary }) { Reason = GroqRateLimitReason.RateLimitTimeout, Limit = GroqLimitKind.TokensPerMinute },
        new GroqRateLimitException("queue full", new GroqErrorDetails { Model = Primary }) { Reason = GroqRateLimitReason.QueueFull },
        new GroqRateLimitException("daily", new GroqErrorDetails { Model = Primary, StatusCode = 429 }) { Limit = GroqLimitKind.TokensPerDay },
    };

    [Theory]
    [MemberData(nameof(QuotaFailures))]
    public async Task QuotaCannotAdmit_FallsBackToTheNextModel(GroqException failure)
    {
        var inner = new ScriptedInner(failure, null);
        using var invoker = Create(inner);

        using HttpResponseMessage response = await invoker.SendAsync(Request(), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Primary, Secondary], inner.Models);
    }

    [Fact]
    public async Task NoChain_RethrowsTheOriginalErrorUntouched()
    {
        var failure = new GroqOverCapacityException("over", new GroqErrorDetails { Model = "openai/gpt-oss-20b", StatusCode = 503 });
        var inner = new ScriptedInner(failure);
        using var invoker = Create(inner);

        GroqOverCapacityException error = await Assert.ThrowsAsync<GroqOverCapacityException>(
            () => invoker.SendAsync(Request("openai/gpt-oss-20b"), TestContext.Current.CancellationToken));

        Assert.Same(failure, error);
    }

    [Fact]
    public async Task DeadlinePassed_DoesNotStartTheNextModel()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var failure = new GroqServerException("500", new GroqErrorDetails { Model = Primary, StatusCode = 500 });
        var inner = new ScriptedInner(() =>
        {
            time.Advance(TimeSpan.FromSeconds(61));
            return failure;
        });
        using var invoker = Create(inner, time);

        GroqServerException error = await Assert.ThrowsAsync<GroqServerException>(() => invoker.SendAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Same(failure, error);
        Assert.Equal([Primary], inner.Models);
    }

    [Fact]
    public async Task CallerCancellation_IsNotFallenBack()
    {
        using var cancel = new CancellationTokenSource();
        var inner = new ScriptedInner(() =>
        {
            cancel.Cancel();
            return new GroqConnectionException("broken", new GroqErrorDetails { Model = Primary });
        });
        using var invoker = Create(inner);

        await Assert.ThrowsAsync<GroqConnectionException>(() => invoker.SendAsync(Request(), cancel.Token));

        Assert.Equal([Primary], inner.Models);
    }

    [Fact]
    public async Task GetModels_PassesThrough()
    {
        var inner = new ScriptedInner(new GroqServerException("500", new GroqErrorDetails { StatusCode = 500 }));
        using var invoker = Create(inner);

        await Assert.ThrowsAsync<GroqServerException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "https://api.groq.com/openai/v1/models"), TestContext.Current.CancellationToken));

        Assert.Single(inner.Models);
    }

    [Fact]
    public async Task Fallback_IsReportedThroughTheAmbientStatus()
    {
        var statuses = new StatusRecorder();
        var inner = new ScriptedInner(new GroqOverCapacityException("over", new GroqErrorDetails { Model = Primary, StatusCode = 503 }), null);
        using var invoker = Create(inner);

        using (GroqRequestContext.Begin(new GroqRequestOptions { Status = statuses }))
        {
            using HttpResponseMessage response = await invoker.SendAsync(Request(), TestContext.Current.CancellationToken);
        }

        GroqRequestStatus status = Assert.Single(statuses.All);
        Assert.Equal(GroqRequestPhase.FallingBack, status.Phase);
        Assert.Equal(Secondary, status.Model);
        Assert.Equal("llama-3.3-70b-versatile unavailable (503 over capacity); answering with llama-3.1-8b-instant", status.Message);
        Assert.Equal("503 over capacity", status.Reason);
    }

    private static HttpMessageInvoker Create(HttpMessageHandler inner, TimeProvider? time = null)
    {
        var options = new GroqOptions { ApiKey = "gsk_test" };
        options.Fallbacks[Primary] = [Secondary];
        options.Resilience.MaxRetryAttempts = 0;
        TimeProvider clock = time ?? TimeProvider.System;
        var pipelines = new GroqResiliencePipelines(MsOptions.Create(options.Resilience), clock);
        return new HttpMessageInvoker(new GroqResilienceHandler(MsOptions.Create(options.Resilience), options.ToPipelineSettings(), pipelines, clock) { InnerHandler = inner });
    }

    private static HttpRequestMessage Request(string model = Primary)
        => new(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };

    /// <summary>Answers each attempt from a script: an exception to throw, or <see langword="null"/> for 200.</summary>
    private sealed class ScriptedInner(params Func<GroqException?>[] script) : HttpMessageHandler
    {
        private int _next;

        public ScriptedInner(params GroqException?[] failures)
            : this([.. failures.Select(f => (Func<GroqException?>)(() => f))])
        {
        }

        public List<string?> Models { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            Models.Add(RequestBodyRewriter.TryGetTopLevelString(Encoding.UTF8.GetBytes(body), "model"u8, out string? model) ? model : null);
            GroqException? failure = script[Math.Min(_next++, script.Length - 1)]();
            return failure is null ? new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request } : throw failure;
        }
    }
}
