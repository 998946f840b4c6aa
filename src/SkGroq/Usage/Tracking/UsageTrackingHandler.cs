using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Models;

namespace SkGroq.Usage.Tracking;

/// <summary>
/// The outermost handler of the <c>groq</c> pipeline (position 1): makes exactly one <see cref="UsageRecord"/> per chat
/// completion call — retries, fallback and cache hits included — and gives it to the ambient
/// <see cref="GroqRequestScope"/>, the <see cref="IUsageLedger"/> and the metrics.
/// </summary>
/// <remarks>
/// A failure below (a <see cref="GroqException"/>, the caller's cancellation, anything else) is recorded as
/// <see cref="UsageOutcome.Error"/> or <see cref="UsageOutcome.Cancelled"/> and rethrown untouched. A successful response is
/// recorded once its body ended — at once for JSON, when a stream ends for SSE (via the request's
/// <see cref="GroqRequestInfo.Observation"/>, which completes exactly once; the cache completes it for the answers it
/// serves) — so a stream that ends early (error frame, disconnect, stall, cancel, abandon) is one
/// <see cref="UsageOutcome.Incomplete"/> record with what was known. Requests other than chat completions are not recorded.
/// </remarks>
internal sealed partial class UsageTrackingHandler : GroqHandler
{
    private readonly ModelCatalog _catalog;
    private readonly IUsageLedger _ledger;
    private readonly UsageMetrics _metrics;
    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly string? _organization;
    private readonly TenantBudget? _budget;

    /// <summary>Initializes a new instance of the <see cref="UsageTrackingHandler"/> class.</summary>
    /// <param name="options">The usage tracking settings (<c>Groq:Usage</c>).</param>
    /// <param name="settings">The pipeline's shared settings (request deadline, organization label, cache partition, fallback chains).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="catalog">The model catalog (prices).</param>
    /// <param name="ledger">Where records go.</param>
    /// <param name="metrics">The GenAI metrics.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="budget">Counts each tenant's tokens against its daily budget, when rate limiting keeps one.</param>
    public UsageTrackingHandler(IOptions<UsageTrackingOptions> options, GroqPipelineSettings settings, TimeProvider timeProvider, ModelCatalog catalog, IUsageLedger ledger, UsageMetrics metrics, ILogger<UsageTrackingHandler>? logger = null, TenantBudget? budget = null)
        : base(settings, timeProvider)
    {
        _budget = budget;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(metrics);
        _catalog = catalog;
        _ledger = ledger;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _enabled = options.Value.Enabled;
        _organization = settings.Organization;
    }

    /// <inheritdoc />
    /// <summary>Refuses synchronous sends: <see cref="DelegatingHandler"/>'s default would pass them straight to the socket, past every handler.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        => throw new NotSupportedException(
            "The groq HttpClient only sends asynchronously: a synchronous Send would bypass rate limiting, caching, retries and usage tracking. " +
            "Use SendAsync (Semantic Kernel does), or the async methods of the OpenAI client.");

    /// <inheritdoc />
    protected override bool Enabled => _enabled;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        // Captured now: a stream's record is made later, wherever the reader happens to finish it.
        GroqRequestScope? scope = GroqRequestContext.Current;
        info.Activity ??= Tracing.GroqTracing.StartRequest(info, request.RequestUri);
        HttpResponseMessage response;
        try
        {
            response = await SendInnerAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Publish(Failed(info, UsageOutcome.Cancelled, "cancelled", null), scope, info);
            throw;
        }
        catch (GroqException ex)
        {
            Publish(Failed(info, UsageOutcome.Error, ex.Kind, ex.RequestId), scope, info);
            throw;
        }
        catch (Exception ex)
        {
            Publish(Failed(info, UsageOutcome.Error, ex is OperationCanceledException ? "timeout" : "unexpected", null), scope, info);
            throw;
        }

        bool cacheHit = info.CacheHit;
        bool stale = info.Stale;

        // The inspection handler's observation of the attempt that answered, or the cache's of the answer it served.
        ResponseObservation? observation = response.IsSuccessStatusCode ? info.Observation : null;
        if (observation is null)
        {
            Publish(Succeeded(info, null, null, cacheHit, stale), scope, info);
        }
        else
        {
            // Synchronously when the body ends, so the record is in the caller's scope by the time the caller has read the last byte.
            observation.OnCompleted(new Recorder(this, info, observation, cacheHit, stale, scope));
        }

        return response;
    }

    private void RecordEnded(GroqRequestInfo info, ResponseObservation observation, ResponseOutcome outcome, bool cacheHit, bool stale, GroqRequestScope? scope)
    {
        try
        {
            Publish(Succeeded(info, observation, outcome, cacheHit, stale), scope, info);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // This runs inside the caller's stream read: a failure to record must be seen in the log, not break the answer.
            Log.RecordingFailed(_logger, info.OriginalModel ?? "(unknown)", ex);
        }
    }

    /// <summary>What recording an answer needs once its body ended: the one object an open stream keeps for it.</summary>
    private sealed class Recorder(UsageTrackingHandler handler, GroqRequestInfo info, ResponseObservation observation, bool cacheHit, bool stale, GroqRequestScope? scope)
        : ResponseObserver
    {
        public override void OnCompleted(ResponseOutcome outcome) => handler.RecordEnded(info, observation, outcome, cacheHit, stale, scope);
    }

    private void Publish(UsageRecord record, GroqRequestScope? scope, GroqRequestInfo info)
    {
        Tracing.GroqTracing.EndRequest(info.Activity, record);
        _budget?.Record(record);
        scope?.Add(record);
        _ledger.Record(record);
        _metrics.Record(record);
        Log.UsageRecorded(_logger, record.ModelAnswered ?? record.ModelRequested, record.Outcome, record.ErrorKind, record.Usage?.PromptTokens, record.Usage?.CompletionTokens, record.Cost, record.RequestId, record.Attempts, record.Duration);
    }
}
