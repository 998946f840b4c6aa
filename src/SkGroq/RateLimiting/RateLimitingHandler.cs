using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Models;
using SkGroq.Tokens;

using SkGroq.Usage.Tracking;

namespace SkGroq.RateLimiting;

/// <summary>
/// Position 4 of the <c>groq</c> pipeline, once per attempt: estimates the prompt, waits in the model's queue until RPM, RPD,
/// TPM and TPD admit the request, reserves prompt + max tokens, sends, then settles the reservation to the usage Groq reports
/// (or releases it when the attempt failed), and learns limits from Groq's <c>x-ratelimit-*</c> headers and 429s.
/// </summary>
/// <remarks>
/// Only chat completions are limited. This handler never retries: a 429 that still arrives pauses the model's admissions
/// for its <c>retry-after</c> and is rethrown to the resilience layer above, whose retry comes back through the queue.
/// </remarks>
internal sealed partial class RateLimitingHandler : GroqHandler
{
    private readonly QuotaLimiter _limiter;
    private readonly IRequestTokenEstimator _estimator;
    private readonly ModelCatalog _catalog;
    private readonly RateLimitingMetrics _metrics;
    private readonly CompletionReservation _completions;
    private readonly TenantBudget? _budget;
    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly string _organization;

    public RateLimitingHandler(
        QuotaLimiter limiter,
        IRequestTokenEstimator estimator,
        ModelCatalog catalog,
        IOptions<RateLimitingOptions> options,
        GroqPipelineSettings settings,
        TimeProvider timeProvider,
        RateLimitingMetrics metrics,
        CompletionReservation completions,
        ILogger<RateLimitingHandler> logger,
        TenantBudget? budget = null)
        : base(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(completions);
        ArgumentNullException.ThrowIfNull(logger);
        _limiter = limiter;
        _estimator = estimator;
        _catalog = catalog;
        _metrics = metrics;
        _completions = completions;
        _logger = logger;
        _budget = budget;

        // Options are read once: a built handler never changes behaviour under a running request.
        _enabled = options.Value.Enabled;
        _organization = settings.Organization ?? NoOrganization;
    }

    /// <summary>The quota partition when neither an organization label nor an API key is configured.</summary>
    internal const string NoOrganization = "default";

    /// <inheritdoc />
    protected override bool Enabled => _enabled;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
    {

        // Fallback may have rewritten the model since the last attempt: everything below is per attempt.
        string model = info.Model!;
        _budget?.ThrowIfSpent(info.Context.TenantId, model);
        RequestTokenEstimate estimate = _estimator.Estimate(model, info.Body.Span, info.Context.Feature);
        info.EstimatedPromptTokens = estimate.PromptTokens;
        _catalog.TryGet(model, out ModelInfo? modelInfo);
        QuotaRequest quotaRequest = BuildRequest(model, modelInfo, estimate, info.MaxTokens, info.ServerRetryOn(model)?.RequestedTokens) with { Tenant = info.Context.TenantId };
        var key = new QuotaKey(_organization, model);
        QuotaLease lease = await AcquireAsync(key, quotaRequest, info, cancellationToken).ConfigureAwait(false);

        HttpResponseMessage response;
        System.Diagnostics.Activity? attempt = Tracing.GroqTracing.StartAttempt(info);
        try
        {
            response = await SendInnerAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (GroqException exception)
        {
            Tracing.GroqTracing.EndAttempt(attempt, exception.StatusCode, exception.Kind);
            await OnFailedAsync(key, lease, exception, info).ConfigureAwait(false);
            throw;
        }
        catch (Exception exception)
        {
            // Cancelled or failed before Groq answered: nothing was counted.
            Tracing.GroqTracing.EndAttempt(attempt, null, exception is OperationCanceledException ? "cancelled" : exception.GetType().Name);
            await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        Tracing.GroqTracing.EndAttempt(attempt, (int)response.StatusCode, null);
        await OnAnsweredAsync(key, lease, response, info, estimate).ConfigureAwait(false);
        return response;
    }

    /// <summary>Builds what the attempt asks of the quota; <paramref name="serverCounted"/> is what a 429/413 for it said Groq counted.</summary>
    private QuotaRequest BuildRequest(string model, ModelInfo? modelInfo, RequestTokenEstimate estimate, int? maxTokens, long? serverCounted)
    {
        int contextWindow = modelInfo?.ContextWindow ?? 0;
        if (maxTokens is { } requested && modelInfo is { MaxCompletionTokens: > 0 } && requested > modelInfo.MaxCompletionTokens)
        {
            // Checked before the context window and the limits: otherwise the caller reads about a window or a TPM limit
            // when the one number to change is max tokens (Groq answers the same with 400 param max_completion_tokens).
            Log.MaxTokensAboveModelMaximum(_logger, model, requested, modelInfo.MaxCompletionTokens);
            _metrics.RecordRejection(model, "max_tokens_above_model_maximum", GroqLimitKind.Unknown);
            string cap = modelInfo.MaxCompletionTokens.ToString("N0", CultureInfo.InvariantCulture);
            throw new GroqBadRequestException(
                $"Not sent: max tokens ({requested.ToString("N0", CultureInfo.InvariantCulture)}) is more than {model} can generate in one answer ({cap}). Set max tokens (MaxTokens in the execution settings) to {cap} or less.",
                new GroqErrorDetails { Model = model, Param = "max_completion_tokens" });
        }

        long needed = estimate.PromptTokens + (maxTokens ?? 0);
        if (contextWindow > 0 && needed > contextWindow)
        {
            // The count without the estimator's safety margin: refuse only what Groq would refuse too.
            Log.ContextLengthExceeded(_logger, model, needed, contextWindow);
            _metrics.RecordRejection(model, "context_length_exceeded", GroqLimitKind.Unknown);
            string completion = maxTokens is { } m ? $" plus max tokens ({m.ToString("N0", CultureInfo.InvariantCulture)})" : string.Empty;
            throw new GroqContextLengthExceededException(
                $"Not sent: the prompt (about {estimate.PromptTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens){completion} does not fit the {contextWindow.ToString("N0", CultureInfo.InvariantCulture)}-token context window of {model}. Shorten the history or lower max tokens.",
                new GroqErrorDetails { Model = model })
            {
                ContextWindow = contextWindow,
                RequestedTokens = needed,
            };
        }

        if (serverCounted is { } counted && counted > 0)
        {
            // The server said what it counts for this very request ("Requested R"): reserve that, not our own guess.
            return new QuotaRequest(counted, maxTokens is null ? Math.Min(counted, estimate.PromptTokens) : counted, _catalog.GetLimits(model));
        }

        if (maxTokens is { } max)
        {
            // Groq reserves prompt + max tokens at admission (§5.3); only the part above the uncalibrated count may be lowered.
            return new QuotaRequest(estimate.BudgetTokens + max, estimate.PromptTokens + max, _catalog.GetLimits(model));
        }

        long guess = _completions.For(model);
        if (modelInfo is { MaxCompletionTokens: > 0 })
        {
            guess = Math.Min(guess, modelInfo.MaxCompletionTokens);
        }

        if (contextWindow > 0)
        {
            guess = Math.Clamp(contextWindow - estimate.BudgetTokens, 0, guess);
        }

        return new QuotaRequest(estimate.BudgetTokens + guess, estimate.PromptTokens, _catalog.GetLimits(model));
    }
}
