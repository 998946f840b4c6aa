using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection;

namespace SkGroq.Resilience;

/// <summary>
/// Position 4 of the <c>groq</c> pipeline, the only layer that retries: runs each request through its model's Polly pipeline
/// (<see cref="GroqResiliencePipelines"/>: the request's deadline, retry with backoff honouring <c>retry-after</c>, circuit
/// breaker) and turns Polly's own outcomes into <see cref="GroqException"/>s with actionable messages.
/// </summary>
/// <remarks>
/// Retries happen only before response headers: a response is returned upward as soon as an attempt succeeds, so nothing is
/// retried once the caller may have seen a token. The caller's cancellation passes through as <see cref="OperationCanceledException"/>;
/// the deadline becomes <see cref="GroqTimeoutException"/> (<see cref="GroqTimeoutKind.Deadline"/>); an open circuit becomes
/// <see cref="GroqCircuitOpenException"/> without sending anything.
/// </remarks>
internal sealed class GroqResilienceHandler : GroqHandler
{
    private static readonly Action<object?> s_cancel = static state => ((CancellationTokenSource)state!).Cancel();
    private readonly GroqResiliencePipelines _pipelines;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="GroqResilienceHandler"/> class.</summary>
    /// <param name="settings">The pipeline's shared settings (request deadline, organization label, cache partition, fallback chains).</param>
    /// <param name="pipelines">The per-model pipelines.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GroqResilienceHandler(GroqPipelineSettings settings, GroqResiliencePipelines pipelines, TimeProvider timeProvider, ILogger<GroqResilienceHandler>? logger = null)
        : base(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(pipelines);
        _pipelines = pipelines;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <remarks>Every request, not only chat completions: listing models is retried too.</remarks>
    protected override bool Handles(HttpRequestMessage request, GroqRequestInfo info) => true;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        TimeSpan left = info.Deadline - TimeProvider.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            // A request already late is refused here, unsent.
            throw DeadlineExceeded(info, null);
        }

        // The request's deadline: one timer-backed source for every attempt and every wait between them, cancelled also by
        // the caller. (Not a Polly timeout strategy: that is one more suspended layer per request for the same timer.)
        using var deadline = new CancellationTokenSource(left, TimeProvider);
        using CancellationTokenRegistration caller = cancellationToken.UnsafeRegister(s_cancel, deadline);
        ResiliencePipeline<HttpResponseMessage> pipeline = _pipelines.For(info.Model ?? string.Empty);
        ResilienceContext context = ResilienceContextPool.Shared.Get(deadline.Token);
        context.Properties.Set(GroqResiliencePipelines.RequestInfoKey, info);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
#pragma warning disable CA1031 // Every failure of an attempt is an outcome the retry and breaker classify; it is rethrown below.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outcome.Exception is null)
        {
            return outcome.Result!;
        }

        switch (outcome.Exception)
        {
            case OperationCanceledException cancelled when deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested:
                throw DeadlineExceeded(info, cancelled);
            case BrokenCircuitException open:
                throw CircuitOpen(info, open);
            default:
                // GroqExceptions from below and the caller's cancellation, untouched (stack trace kept).
                ExceptionDispatchInfo.Throw(outcome.Exception);
                throw outcome.Exception;
        }
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => SendInnerAsync(request, cancellationToken);

    private GroqTimeoutException DeadlineExceeded(GroqRequestInfo info, Exception? inner)
    {
        TimeSpan timeout = info.Deadline - info.Timestamp;
        string model = info.Model ?? "(none)";
        int attempts = info.Attempts;
        Log.DeadlineExceeded(_logger, model, timeout, attempts);
        string sent = attempts switch
        {
            0 => "before anything was sent",
            1 => "after 1 attempt",
            _ => $"after {attempts} attempts",
        };
        return new GroqTimeoutException(
            $"Groq did not start answering {Describe(info)} within the request's deadline of {GroqErrorParser.FormatWait(timeout)} ({sent}). "
            + "Raise Groq:RequestTimeout (or the Timeout of the GroqRequestContext scope) if the wait is expected, or try again later.",
            new GroqErrorDetails { Model = info.Model },
            inner)
        {
            TimeoutKind = GroqTimeoutKind.Deadline,
            Timeout = timeout,
        };
    }

    private GroqCircuitOpenException CircuitOpen(GroqRequestInfo info, BrokenCircuitException open)
    {
        string model = info.Model ?? "(none)";
        TimeSpan? retryAfter = open.RetryAfter is { } r && r > TimeSpan.Zero ? r : null;
        Log.CircuitRejected(_logger, model, retryAfter);
        var breaking = open.InnerException as GroqException;
        string last = breaking is null ? string.Empty : $" (last: {GroqFailurePolicy.Describe(breaking)})";
        string when = retryAfter is { } wait ? $"for another {GroqErrorParser.FormatWait(wait)}" : "for a moment";
        return new GroqCircuitOpenException(
            $"Not sent: too many recent requests to {Describe(info)} failed{last}, so SkGroq stops sending to it {when} (circuit open). "
            + $"Try again then, or configure Groq:Fallbacks:{model} so another model answers meanwhile.",
            new GroqErrorDetails { Model = info.Model, RetryAfter = retryAfter },
            breaking);
    }

    private static string Describe(GroqRequestInfo info) => info.Model is null ? "the request" : $"model '{info.Model}'";
}
