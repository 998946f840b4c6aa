using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection;

namespace SkGroq.Resilience;

/// <summary>
/// The Polly pipelines of the <c>groq</c> client, one per model (so each model has its own circuit breaker), built on first use
/// from <see cref="GroqResilienceOptions"/> with the <see cref="TimeProvider"/> from DI. Outermost first: retry, circuit
/// breaker. The request's deadline is the cancellation <see cref="GroqResilienceHandler"/> runs them with.
/// </summary>
/// <remarks>
/// A singleton: circuit state outlives handler chains. Options are read once, at construction. Pipelines are built with
/// Polly's builder and kept here rather than in a <c>ResiliencePipelineRegistry</c>: the registry wraps each pipeline in a
/// component that tracks executions for reloads and disposal — an async layer and ≈ 600 B per request — and these
/// pipelines are never reloaded and hold nothing to dispose (retry and circuit breaker only).
/// </remarks>
internal sealed class GroqResiliencePipelines
{
    /// <summary>The request being executed, set by <see cref="GroqResilienceHandler"/>.</summary>
    internal static ResiliencePropertyKey<GroqRequestInfo> RequestInfoKey { get; } = new("SkGroq.RequestInfo");

    /// <summary>The wait before the next retry, chosen when the retry was decided (so the deadline check and the wait agree).</summary>
    private static readonly ResiliencePropertyKey<TimeSpan> s_nextDelayKey = new("SkGroq.NextDelay");

    private readonly ConcurrentDictionary<string, Lazy<ResiliencePipeline<HttpResponseMessage>>> _pipelines = new(StringComparer.Ordinal);
    private readonly GroqResilienceOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="GroqResiliencePipelines"/> class.</summary>
    /// <param name="options">The Groq options (<see cref="GroqOptions.Resilience"/>).</param>
    /// <param name="timeProvider">The clock of timeouts, backoff waits and circuit breakers.</param>
    /// <param name="logger">The logger.</param>
    public GroqResiliencePipelines(IOptions<GroqResilienceOptions> options, TimeProvider timeProvider, ILogger<GroqResiliencePipelines>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the pipeline of a model (created on first use).</summary>
    /// <param name="model">The model, or the empty string for requests that name none (<c>GET /models</c>).</param>
    /// <returns>The pipeline.</returns>
    public ResiliencePipeline<HttpResponseMessage> For(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (_pipelines.TryGetValue(model, out Lazy<ResiliencePipeline<HttpResponseMessage>>? pipeline)
            ? pipeline
            : _pipelines.GetOrAdd(model, static (m, self) => new(() => self.Build(m)), this)).Value;
    }

    private ResiliencePipeline<HttpResponseMessage> Build(string model)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "groq", InstanceName = model, TimeProvider = _timeProvider };
        Configure(builder, model);
        return builder.Build();
    }

    private void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, string model)
    {
        if (!_options.Enabled)
        {
            return;
        }

        // Built first, used by the retry: a retry whose model's circuit just opened would only wait to be refused.
        GroqCircuitBreakerOptions breaker = _options.CircuitBreaker;
        CircuitBreakerStateProvider? circuit = breaker.Enabled ? new CircuitBreakerStateProvider() : null;
        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = _options.MaxRetryAttempts,
                ShouldHandle = args => new ValueTask<bool>(
                    circuit?.CircuitState is not (CircuitState.Open or CircuitState.Isolated)
                    && ShouldRetry(args.Context, args.Outcome, args.AttemptNumber)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(s_nextDelayKey, TimeSpan.Zero)),
                OnRetry = args => OnRetry(args.Context, args.Outcome, args.AttemptNumber, args.RetryDelay),
            });
        }

        if (circuit is not null)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "circuit-breaker",
                StateProvider = circuit,
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is { } error && GroqFailurePolicy.CountsAgainstCircuit(error)),
                OnOpened = args =>
                {
                    Log.CircuitOpened(_logger, model, args.BreakDuration, args.Outcome.Exception is GroqException error ? GroqFailurePolicy.Describe(error) : "unknown");
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    Log.CircuitHalfOpened(_logger, model);
                    return default;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(_logger, model);
                    return default;
                },
            });
        }
    }

    private bool ShouldRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int attempt)
    {
        // Results are successes (the inspection handler throws for every failed status); cancellations, the deadline and an
        // open circuit are not retried.
        if (outcome.Exception is not GroqException error || context.CancellationToken.IsCancellationRequested
            || attempt + 1 >= GroqFailurePolicy.AttemptLimit(error, _options.MaxRetryAttempts))
        {
            return false;
        }

        GroqRequestInfo info = Info(context);
        if (!GroqFailurePolicy.IsRetryable(error, error.StatusCode == 498 && OnDemandPending(info)))
        {
            return false;
        }

        double jitter = _options.UseJitter ? Random.Shared.NextDouble() : 0;
        TimeSpan delay = RetryBackoff.Next(attempt, error.RetryAfter, _options.BaseDelay, _options.MaxDelay, jitter);
        if (_timeProvider.GetUtcNow() + delay >= info.Deadline)
        {
            // Never wait past the deadline: the last error is the answer (and the fallback may try another model at once).
            string reason = GroqFailurePolicy.Describe(error);
            Log.RetryPastDeadline(_logger, info.Model ?? "(none)", reason, delay);
            return false;
        }

        context.Properties.Set(s_nextDelayKey, delay);
        return true;
    }

    private ValueTask OnRetry(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int attempt, TimeSpan delay)
    {
        GroqRequestInfo info = Info(context);
        string model = info.Model ?? "(none)";
        // Only Groq failures are retried (ShouldRetry), so the outcome holds one.
        var error = (GroqException)outcome.Exception!;
        string reason = GroqFailurePolicy.Describe(error);
        Log.Retrying(_logger, model, reason, attempt + 1, delay);
        info.Status?.Report(new GroqRequestStatus(
            GroqRequestPhase.Retrying,
            model,
            string.Create(CultureInfo.InvariantCulture, $"{model} failed ({reason}); retrying in {GroqErrorParser.FormatWait(delay)} (attempt {attempt + 2} of {GroqFailurePolicy.AttemptLimit(error, _options.MaxRetryAttempts)})"),
            delay)
        {
            Reason = reason,
            DelayBasis = error.RetryAfter is not null ? "retry-after" : "backoff",
        });
        return default;
    }

    /// <summary>Gets a value indicating whether a 498 of this request is left to the model fallback (flex sent again as on-demand).</summary>
    private bool OnDemandPending(GroqRequestInfo info)
        => _options.FlexFallbackToOnDemand
            && RequestBodyRewriter.TryGetTopLevelString(info.Body.Span, "service_tier"u8, out string? tier)
            && tier == "flex";

    private static GroqRequestInfo Info(ResilienceContext context)
        => context.Properties.TryGetValue(RequestInfoKey, out GroqRequestInfo? info) ? info
            : throw new InvalidOperationException("The Groq resilience pipeline runs only inside GroqResilienceHandler.");
}
