using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection;

namespace SkGroq.Resilience;

/// <summary>
/// Position 3 of the <c>groq</c> pipeline, the only layer that retries or changes model: runs each request through its model's
/// Polly pipeline (<see cref="GroqResiliencePipelines"/>: retry with backoff honouring <c>retry-after</c>, circuit breaker)
/// under the request's deadline, turns Polly's own outcomes into <see cref="GroqException"/>s with actionable messages, and when
/// the model cannot answer sends the request to the next model of its chain (<see cref="ModelFallback"/>).
/// </summary>
/// <remarks>
/// Retries and fallback happen only before response headers: a response is returned upward as soon as an attempt succeeds, so
/// nothing is retried once the caller may have seen a token. The caller's cancellation passes through as
/// <see cref="OperationCanceledException"/>; the deadline (one for every model and attempt) becomes <see cref="GroqTimeoutException"/>
/// (<see cref="GroqTimeoutKind.Deadline"/>); an open circuit becomes <see cref="GroqCircuitOpenException"/> without sending anything.
/// Retries and fallback are one layer: a request suspends one frame here while the network answers, not one per concern.
/// </remarks>
internal sealed class GroqResilienceHandler : GroqHandler
{
    private static readonly Action<object?> s_cancel = static state => ((CancellationTokenSource)state!).Cancel();
    private static readonly Func<ResilienceContext, (GroqResilienceHandler Handler, HttpRequestMessage Request), ValueTask<Outcome<HttpResponseMessage>>> s_attempt =
        static async (context, state) =>
        {
            try
            {
                return Outcome.FromResult(await state.Handler.SendInnerAsync(state.Request, context.CancellationToken).ConfigureAwait(false));
            }
#pragma warning disable CA1031 // Every failure of an attempt is an outcome the retry and breaker classify; it is rethrown by the handler.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Outcome.FromException<HttpResponseMessage>(ex);
            }
        };

    private readonly GroqResiliencePipelines _pipelines;
    private readonly ModelFallback _fallback;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="GroqResilienceHandler"/> class.</summary>
    /// <param name="options">The resilience settings (<c>Groq:Resilience</c>): whether fallback is on, flex to on-demand.</param>
    /// <param name="settings">The pipeline's shared settings (request deadline, organization label, cache partition, fallback chains).</param>
    /// <param name="pipelines">The per-model pipelines.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GroqResilienceHandler(IOptions<GroqResilienceOptions> options, GroqPipelineSettings settings, GroqResiliencePipelines pipelines, TimeProvider timeProvider, ILogger<GroqResilienceHandler>? logger = null)
        : base(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(pipelines);
        _pipelines = pipelines;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _fallback = new ModelFallback(options.Value, settings.Fallbacks, timeProvider, _logger);
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

        // The request's deadline: one timer-backed source for every model, attempt and wait between them, cancelled also by the
        // caller. (Not a Polly timeout strategy: that is one more suspended layer per request for the same timer.)
        using var deadline = new CancellationTokenSource(left, TimeProvider);
        using CancellationTokenRegistration caller = cancellationToken.UnsafeRegister(s_cancel, deadline);
        ModelFallback.State fallback = _fallback.Begin(info);
        while (true)
        {
            ResiliencePipeline<HttpResponseMessage> pipeline = _pipelines.For(info.Model ?? string.Empty);
            ResilienceContext context = ResilienceContextPool.Shared.Get(deadline.Token);
            context.Properties.Set(GroqResiliencePipelines.RequestInfoKey, info);
            Outcome<HttpResponseMessage> outcome;
            try
            {
                outcome = await pipeline.ExecuteOutcomeAsync(s_attempt, context, (this, request)).ConfigureAwait(false);
            }
            finally
            {
                ResilienceContextPool.Shared.Return(context);
            }

            if (outcome.Exception is null)
            {
                return outcome.Result!;
            }

            Exception failure = outcome.Exception switch
            {
                OperationCanceledException cancelled when deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested => DeadlineExceeded(info, cancelled),
                BrokenCircuitException open => CircuitOpen(info, open),
                Exception other => other,
            };
            if (failure is GroqException error && fallback.CanSwitch && !cancellationToken.IsCancellationRequested)
            {
                GroqException? stop = _fallback.Next(error, request, info, ref fallback);
                if (stop is null)
                {
                    continue;
                }

                failure = stop;
            }

            if (ReferenceEquals(failure, outcome.Exception))
            {
                // GroqExceptions from below and the caller's cancellation, untouched (stack trace kept).
                ExceptionDispatchInfo.Throw(failure);
            }

            throw failure;
        }
    }

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
