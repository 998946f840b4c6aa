using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Resilience;

/// <summary>
/// Position 3 of the <c>groq</c> pipeline: when the requested model cannot answer — over capacity after retries, retired, unknown,
/// its circuit open, no quota before the deadline, retries exhausted on a transient error — sends the same request to the next
/// model of <c>Groq:Fallbacks:&lt;model&gt;</c>, with only the body's top-level <c>model</c> changed. A flex-tier request that
/// meets 498 is first sent again as <c>service_tier: "on_demand"</c>.
/// </summary>
/// <remarks>
/// Fallback happens only before a response was handed upward: once this handler returned a response (a stream's headers), its
/// body's failures reach the caller as they are. Each switch is reported through the ambient <see cref="GroqRequestOptions.Status"/>
/// (<see cref="GroqRequestPhase.FallingBack"/>) and the log, and <see cref="GroqRequestInfo.FallbackReason"/> tells the usage
/// record why the answer came from another model. When every model failed, the requested model's error is thrown — or, when
/// others were tried, a <see cref="GroqFallbackExhaustedException"/> listing what each model said.
/// </remarks>
internal sealed class ModelFallbackHandler : GroqHandler
{
    private readonly FrozenDictionary<string, string[]> _chains;
    private readonly bool _enabled;
    private readonly bool _flexToOnDemand;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ModelFallbackHandler"/> class.</summary>
    /// <param name="options">The resilience settings (<c>Groq:Resilience</c>).</param>
    /// <param name="settings">The pipeline's shared settings (request deadline, organization label, cache partition, fallback chains).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ModelFallbackHandler(IOptions<GroqResilienceOptions> options, GroqPipelineSettings settings, TimeProvider timeProvider, ILogger<ModelFallbackHandler>? logger = null)
        : base(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _chains = settings.Fallbacks;
        _enabled = options.Value.Enabled;
        _flexToOnDemand = options.Value.FlexFallbackToOnDemand;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override bool Enabled => _enabled;

    /// <inheritdoc />
    /// <remarks>
    /// A request with nothing to fall back to (no chain for its model, and not a flex-tier request that could go on demand)
    /// is handed on without an async frame of this handler's own.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendGroqAsync(HttpRequestMessage request, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        string[] chain = _chains.GetValueOrDefault(info.OriginalModel!, []);
        return chain.Length == 0 && !(_flexToOnDemand && info.FlexTier)
            ? SendInnerAsync(request, cancellationToken)
            : SendWithFallbackAsync(request, info, chain, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendWithFallbackAsync(HttpRequestMessage request, GroqRequestInfo info, string[] chain, CancellationToken cancellationToken)
    {
        List<GroqException>? failures = null;
        bool onDemandTried = false;
        int next = 0;
        while (true)
        {
            try
            {
                return await SendInnerAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (GroqException error) when (!cancellationToken.IsCancellationRequested)
            {
                string model = info.Model!;
                if (!onDemandTried && _flexToOnDemand && error.StatusCode == 498 && TryOnDemand(request, info))
                {
                    onDemandTried = true;
                    Log.FlexToOnDemand(_logger, model);
                    Report(info, model, $"{model}: flex-tier capacity exceeded (498); sending again as on_demand", "498 flex capacity exceeded");
                    continue;
                }

                (failures ??= []).Add(error);
                string? nextModel = GroqFailurePolicy.TriggersFallback(error) ? NextModel(chain, ref next, info) : null;
                if (nextModel is null)
                {
                    if (failures.Count == 1)
                    {
                        throw;
                    }

                    throw Exhausted(info, failures);
                }

                string reason = GroqFailurePolicy.Describe(error);
                if (TimeProvider.GetUtcNow() >= info.Deadline
                    || !RequestBodyRewriter.TryReplaceTopLevelString(info.Body.Span, "model"u8, nextModel, out byte[]? body))
                {
                    Log.FallbackSkippedDeadline(_logger, model, reason, nextModel);
                    if (failures.Count == 1)
                    {
                        throw;
                    }

                    throw Exhausted(info, failures);
                }

                Log.FallingBack(_logger, model, reason, nextModel);
                info.FallbackReason ??= reason;
                info.ReplaceBody(request, body);
                Report(info, nextModel, $"{model} unavailable ({reason}); answering with {nextModel}", reason);
            }
        }
    }

    /// <summary>Gets the next model of the chain that was not tried yet (chains are validated not to repeat, but the caller's model may appear).</summary>
    private static string? NextModel(string[] chain, ref int next, GroqRequestInfo info)
    {
        while (next < chain.Length)
        {
            string candidate = chain[next++];
            if (!string.Equals(candidate, info.OriginalModel, StringComparison.Ordinal) && !string.Equals(candidate, info.Model, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool TryOnDemand(HttpRequestMessage request, GroqRequestInfo info)
    {
        if (!RequestBodyRewriter.TryGetTopLevelString(info.Body.Span, "service_tier"u8, out string? tier) || tier != "flex"
            || !RequestBodyRewriter.TryReplaceTopLevelString(info.Body.Span, "service_tier"u8, "on_demand", out byte[]? body))
        {
            return false;
        }

        info.ReplaceBody(request, body);
        return true;
    }

    private static void Report(GroqRequestInfo info, string model, string message, string reason)
        => info.Status?.Report(new GroqRequestStatus(GroqRequestPhase.FallingBack, model, message) { Reason = reason });

    private GroqFallbackExhaustedException Exhausted(GroqRequestInfo info, List<GroqException> failures)
    {
        Log.FallbackExhausted(_logger, info.OriginalModel!, failures.Count);
        var message = new StringBuilder($"Every model tried for this request failed ({failures.Count} models):");
        foreach (GroqException failure in failures)
        {
            message.Append(' ').Append(failure.Model ?? "(unknown)").Append(" — ").Append(failure.Message);
            if (message[^1] is not ('.' or '!' or '?'))
            {
                message.Append('.');
            }
        }

        message.Append(failures.All(static f => f.IsTransient || f is GroqCircuitOpenException)
            ? " All failures look temporary: try again shortly; https://groqstatus.com shows incidents."
            : " Fix what the first model's error says, or add a model that can serve the request to Groq:Fallbacks.");
        return new GroqFallbackExhaustedException(message.ToString(), [.. failures]);
    }
}
