using System.Collections.Frozen;
using System.Text;
using Microsoft.Extensions.Logging;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Resilience;

/// <summary>
/// The model fallback of <see cref="GroqResilienceHandler"/>: when the requested model cannot answer — over capacity after
/// retries, retired, unknown, its circuit open, no quota before the deadline, retries exhausted on a transient error — the same
/// request goes to the next model of <c>Groq:Fallbacks:&lt;model&gt;</c>, with only the body's top-level <c>model</c> changed.
/// A flex-tier request that meets 498 is first sent again as <c>service_tier: "on_demand"</c>.
/// </summary>
/// <remarks>
/// Fallback happens only before a response was handed upward: once the handler returned a response (a stream's headers), its
/// body's failures reach the caller as they are. Each switch is reported through the ambient <see cref="GroqRequestOptions.Status"/>
/// (<see cref="GroqRequestPhase.FallingBack"/>) and the log, and <see cref="GroqRequestInfo.FallbackReason"/> tells the usage
/// record why the answer came from another model. When every model failed, the requested model's error is thrown — or, when
/// others were tried, a <see cref="GroqFallbackExhaustedException"/> listing what each model said.
/// </remarks>
internal sealed class ModelFallback
{
    private readonly FrozenDictionary<string, string[]> _chains;
    private readonly bool _enabled;
    private readonly bool _flexToOnDemand;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ModelFallback"/> class.</summary>
    /// <param name="options">The resilience settings (<c>Groq:Resilience</c>).</param>
    /// <param name="chains">The fallback chains (<c>Groq:Fallbacks</c>).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public ModelFallback(GroqResilienceOptions options, FrozenDictionary<string, string[]> chains, TimeProvider timeProvider, ILogger logger)
    {
        _chains = chains;
        _enabled = options.Enabled;
        _flexToOnDemand = options.FlexFallbackToOnDemand;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Starts the fallback of one request: what it may switch to.</summary>
    /// <param name="info">The request.</param>
    /// <returns>The request's fallback state; <see cref="State.CanSwitch"/> is <see langword="false"/> when there is nothing to switch to.</returns>
    public State Begin(GroqRequestInfo info)
    {
        if (!_enabled || !info.IsChatCompletion)
        {
            return default;
        }

        string[] chain = _chains.GetValueOrDefault(info.OriginalModel!, []);
        return new State(chain, chain.Length > 0 || (_flexToOnDemand && info.FlexTier));
    }

    /// <summary>Decides what follows a failure: the request switched to another model or tier (send it again), or the error to throw.</summary>
    /// <param name="error">What the model said.</param>
    /// <param name="request">The request, whose content is replaced on a switch.</param>
    /// <param name="info">The request's info.</param>
    /// <param name="state">The request's fallback state.</param>
    /// <returns><see langword="null"/> to send the request again; else the exception to throw (<paramref name="error"/> itself, or what every model said).</returns>
    public GroqException? Next(GroqException error, HttpRequestMessage request, GroqRequestInfo info, ref State state)
    {
        string model = info.Model!;
        if (!state.OnDemandTried && _flexToOnDemand && error.StatusCode == 498 && TryOnDemand(request, info))
        {
            state.OnDemandTried = true;
            Log.FlexToOnDemand(_logger, model);
            Report(info, model, $"{model}: flex-tier capacity exceeded (498); sending again as on_demand", "498 flex capacity exceeded");
            return null;
        }

        (state.Failures ??= []).Add(error);
        string? nextModel = GroqFailurePolicy.TriggersFallback(error) ? NextModel(state.Chain, ref state.NextIndex, info) : null;
        if (nextModel is null)
        {
            return state.Failures.Count == 1 ? error : Exhausted(info, state.Failures);
        }

        string reason = GroqFailurePolicy.Describe(error);
        if (_timeProvider.GetUtcNow() >= info.Deadline
            || !RequestBodyRewriter.TryReplaceTopLevelString(info.Body.Span, "model"u8, nextModel, out byte[]? body))
        {
            Log.FallbackSkippedDeadline(_logger, model, reason, nextModel);
            return state.Failures.Count == 1 ? error : Exhausted(info, state.Failures);
        }

        Log.FallingBack(_logger, model, reason, nextModel);
        info.FallbackReason ??= reason;
        info.ReplaceBody(request, body);
        Report(info, nextModel, $"{model} unavailable ({reason}); answering with {nextModel}", reason);
        return null;
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

    /// <summary>One request's fallback: the chain, how far it got, what each model said.</summary>
    /// <param name="chain">The models to try after the requested one.</param>
    /// <param name="canSwitch">Whether there is anything to switch to (a chain, or a flex-tier request that may go on demand).</param>
    internal struct State(string[] chain, bool canSwitch)
    {
        /// <summary>Gets the models to try after the requested one.</summary>
        public readonly string[] Chain = chain;

        /// <summary>Gets a value indicating whether there is anything to switch to.</summary>
        public readonly bool CanSwitch = canSwitch;

        /// <summary>The index of the next model of <see cref="Chain"/> to consider.</summary>
        public int NextIndex;

        /// <summary>Whether the flex-tier request was already sent again on demand.</summary>
        public bool OnDemandTried;

        /// <summary>What each model tried said.</summary>
        public List<GroqException>? Failures;
    }
}
