using System.Globalization;
using SkGroq.Errors;
using SkGroq.Inspection;

namespace SkGroq.Resilience;

/// <summary>
/// The one place that decides what a failure means: whether to retry it, count it against the model's circuit, fall back to
/// another model, or let a stale cached answer stand in for it.
/// </summary>
/// <remarks>
/// Pure decisions over <see cref="GroqException"/> types, shared by the retry policy, the circuit breaker, the model fallback
/// and the response cache. A table-driven test (<c>GroqFailurePolicyTests</c>) pins all four answers for every status and
/// exception. The statuses that are the request's own fault (<see cref="IsAboutTheRequest"/>) are listed once, here.
/// </remarks>
internal static class GroqFailurePolicy
{
    /// <summary>Gets a value indicating whether another attempt on the same model may succeed.</summary>
    /// <param name="error">The attempt's failure.</param>
    /// <param name="onDemandPending">Whether the request is a flex-tier one that the model fallback resends as on-demand at once on 498 (so 498 is not retried on flex).</param>
    /// <returns>
    /// <see cref="GroqException.IsRetryable"/> (the server's <c>x-should-retry</c>, else transient: connection failures, first-byte
    /// timeouts, 408, 429 other than daily limits, 498, 5xx), except never for 400, 401, 403, 404, 413 and 422 whatever the server says.
    /// </returns>
    public static bool IsRetryable(GroqException error, bool onDemandPending)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (IsAboutTheRequest(error))
        {
            return false;
        }

        if (onDemandPending && error.StatusCode == 498)
        {
            return false;
        }

        return error.IsRetryable;
    }

    /// <summary>Gets how many attempts a model gets when its attempts fail like this.</summary>
    /// <param name="error">The latest attempt's failure.</param>
    /// <param name="maxRetryAttempts">The configured retries after the first attempt.</param>
    /// <returns>
    /// The configured retries plus one — but two at most for a refused connection: nothing listening rarely starts listening
    /// within a backoff.
    /// </returns>
    public static int AttemptLimit(GroqException error, int maxRetryAttempts)
        => error is GroqConnectionException { Failure: GroqConnectionFailure.Refused } ? Math.Min(2, maxRetryAttempts + 1) : maxRetryAttempts + 1;

    /// <summary>Gets a value indicating whether a failure says the model (or Groq) is unwell, and so counts against the model's circuit.</summary>
    /// <param name="error">The attempt's failure (any exception: cancellations and rejections do not count).</param>
    /// <returns><see langword="true"/> for 5xx, 503 over capacity, connection failures and first-byte timeouts; not for 4xx, 429 or 498.</returns>
    public static bool CountsAgainstCircuit(Exception error) => error switch
    {
        GroqOverCapacityException over => over.StatusCode != 498,
        GroqServerException server => server.IsTransient && server.StatusCode != 408,
        GroqConnectionException => true,
        GroqTimeoutException timeout => timeout.TimeoutKind == GroqTimeoutKind.FirstByte,
        _ => false,
    };

    /// <summary>Gets a value indicating whether another model may answer what this one could not (after this model's retries ended).</summary>
    /// <param name="error">The model's final failure.</param>
    /// <returns>
    /// <see langword="true"/> when the model is over capacity, retired, unknown, has its circuit open, has no quota for the request
    /// before the deadline (local limiter, 429, daily limits), or failed transiently until its retries ran out; <see langword="false"/>
    /// for errors about the request itself (400, 401, 403, 413, 422, context length, tool use), the deadline, and the endpoint
    /// (no connection, an unknown URL, 501): every model lives on the same host, so another one would fail the same way.
    /// </returns>
    public static bool TriggersFallback(GroqException error) => error switch
    {
        GroqConnectionException => false,
        GroqOverCapacityException or GroqModelDecommissionedException or GroqCircuitOpenException or GroqRateLimitException => true,
        GroqNotFoundException notFound => notFound.Kind == "model_not_found",
        GroqTimeoutException timeout => timeout.TimeoutKind == GroqTimeoutKind.FirstByte,
        GroqStreamInterruptedException => false,
        _ => error.IsTransient,
    };

    /// <summary>Gets a value indicating whether a failure means Groq could not answer (so a stale cached answer may stand in), not that the request is wrong.</summary>
    /// <param name="error">What everything below the cache ended with.</param>
    /// <returns>
    /// <see langword="true"/> for server-side unavailability: 5xx and 408, over capacity (503, 498), connection failures,
    /// timeouts, rate limits (Groq's 429, no quota before the deadline, a full queue), an open circuit, and an exhausted
    /// fallback chain whose requested model failed that way. <see langword="false"/> for every error about the request or
    /// the account — 400, 401, 403, 404, 413, 422, context length, tool use, a decommissioned model — which the same request
    /// would meet again and whose message the caller must see.
    /// </returns>
    public static bool AllowsStaleAnswer(GroqException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return !IsAboutTheRequest(error) && error switch
        {
            GroqServerException or GroqOverCapacityException or GroqConnectionException or GroqTimeoutException or GroqRateLimitException => true,
            GroqCircuitOpenException => true,
            GroqFallbackExhaustedException exhausted => AllowsStaleAnswer(exhausted.Failures[0]),
            _ => false,
        };
    }

    /// <summary>Describes a model's failure in a few words, for status lines and usage records: e.g. <c>503 over capacity</c>, <c>circuit open</c>.</summary>
    /// <param name="error">The failure.</param>
    /// <returns>The description.</returns>
    public static string Describe(GroqException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        string status = error.StatusCode is { } code ? code.ToString(CultureInfo.InvariantCulture) + " " : string.Empty;
        return error switch
        {
            GroqOverCapacityException { StatusCode: 498 } => "498 flex capacity exceeded",
            GroqOverCapacityException => status + "over capacity",
            GroqCircuitOpenException => "circuit open after repeated failures",
            GroqModelDecommissionedException => status + "model_decommissioned",
            GroqNotFoundException notFound => status + notFound.Kind,
            GroqRateLimitException { Reason: GroqRateLimitReason.RateLimitTimeout } limit => $"no {limit.Limit.ToDisplayName()} quota before the deadline",
            GroqRateLimitException { Reason: GroqRateLimitReason.QueueFull } => "quota queue full",
            GroqRateLimitException limit => status + $"rate limited ({limit.Limit.ToDisplayName()})",
            GroqConnectionException => "connection failed",
            GroqTimeoutException { TimeoutKind: GroqTimeoutKind.FirstByte } timeout => $"no response within {GroqErrorParser.FormatWait(timeout.Timeout)}",
            GroqServerException => status + "server error",
            _ => status + error.Kind.Replace('_', ' '),
        };
    }

    /// <summary>Gets a value indicating whether Groq refused the request itself (400, 401, 403, 404, 413, 422): the same request meets the same answer, whatever the server's <c>x-should-retry</c> says.</summary>
    private static bool IsAboutTheRequest(GroqException error) => error.StatusCode is 400 or 401 or 403 or 404 or 413 or 422;
}
