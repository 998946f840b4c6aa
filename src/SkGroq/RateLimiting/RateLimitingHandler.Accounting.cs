using System.Net;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Tokens;

using SkGroq.Usage;

namespace SkGroq.RateLimiting;

/// <content>Waiting for quota, and settling, releasing and learning once Groq answered.</content>
internal sealed partial class RateLimitingHandler
{
    private ValueTask<QuotaLease> AcquireAsync(QuotaKey key, QuotaRequest quotaRequest, GroqRequestInfo info, CancellationToken cancellationToken)
    {
        // Admitted at once (the usual case, and always synchronous with the in-memory store): no async frame.
        long started = TimeProvider.GetTimestamp();
        ValueTask<QuotaLease> acquiring = _limiter.AcquireAsync(key, quotaRequest, info.Context.Priority, info.Deadline, info.Status, info.ServerRetryOn(key.Model)?.At, cancellationToken);
        return acquiring.IsCompletedSuccessfully ? new(Admitted(key, info, acquiring.Result)) : AcquireSlowAsync(key, info, acquiring, started);
    }

    private async ValueTask<QuotaLease> AcquireSlowAsync(QuotaKey key, GroqRequestInfo info, ValueTask<QuotaLease> acquiring, long started)
    {
        QuotaLease lease;
        try
        {
            lease = await acquiring.ConfigureAwait(false);
        }
        catch (GroqRateLimitException exception)
        {
            info.QueueWait += TimeProvider.GetElapsedTime(started);
            _metrics.RecordRejection(key.Model, exception.Kind, exception.Limit);
            if (exception.Reason == GroqRateLimitReason.QueueFull)
            {
                Log.QueueFull(_logger, key.Model, _limiter.GetQueueLength(key));
            }
            else
            {
                Log.Timeout(_logger, key.Model, exception.Limit.ToDisplayName(), exception.Wait?.TotalSeconds ?? double.NaN, exception.Message);
            }

            throw;
        }
        catch (GroqRequestTooLargeException exception)
        {
            _metrics.RecordRejection(key.Model, exception.Kind, exception.Limit);
            Log.TooLarge(_logger, key.Model, exception.Requested, exception.Limit.ToDisplayName(), exception.LimitValue);
            throw;
        }
        catch (OperationCanceledException)
        {
            info.QueueWait += TimeProvider.GetElapsedTime(started);
            throw;
        }

        return Admitted(key, info, lease);
    }

    private QuotaLease Admitted(QuotaKey key, GroqRequestInfo info, QuotaLease lease)
    {
        info.QueueWait += lease.Wait;
        _metrics.RecordWait(key.Model, lease.WaitedFor, lease.Wait);
        if (lease.Wait > TimeSpan.Zero)
        {
            Log.Waited(_logger, key.Model, lease.Wait.TotalMilliseconds, lease.WaitedFor.ToDisplayName());
        }

        return lease;
    }

    private async ValueTask OnFailedAsync(QuotaKey key, QuotaLease lease, GroqException exception, GroqRequestInfo info)
    {
        // Groq did not run the request (4xx, 5xx, timeout before the answer): give the reservation back first, so the
        // server's figures below are compared with what is really still in flight. A request the server refused for a rate
        // limit keeps counting as one request (its tokens go back): handing its place back would open room the server does
        // not have, and a request admitted in that moment — before the refusal's figures are learnt — would be refused too.
        GroqRateLimitException? rejected = exception as GroqRateLimitException;
        bool serverRejected = rejected is { Reason: GroqRateLimitReason.ServerRejected };
        if (serverRejected)
        {
            await lease.SettleAsync(0, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (exception.Details.RateLimits is not null || serverRejected)
        {
            var observation = new QuotaObservation(
                exception.Details.RateLimits,
                lease.Reservation.Id,
                serverRejected ? rejected!.Limit : GroqLimitKind.Unknown,
                serverRejected ? rejected!.LimitValue : null,
                serverRejected ? rejected!.Used : null);
            await _limiter.LearnAsync(key, observation, CancellationToken.None).ConfigureAwait(false);
        }

        if (exception is GroqRateLimitException { Reason: GroqRateLimitReason.ServerRejected } or GroqRequestTooLargeException { IsLocal: false })
        {
            // The server's word on this request: when it takes it again (a minute limit's wait; a daily limit is left to the
            // pause below) and what it counted for it. The next attempt on this model follows it instead of our estimate.
            TimeSpan? wait = rejected is { Limit: not (GroqLimitKind.RequestsPerDay or GroqLimitKind.TokensPerDay) } ? rejected.RetryAfter : null;
            info.ServerRetry = new ServerRetry(key.Model, wait is { } w ? TimeProvider.GetUtcNow() + w : null, RequestedOf(exception));
        }

        if (serverRejected)
        {
            _metrics.RecordServerRejection(key.Model, rejected!.Limit);
            TimeSpan pause = MaxPause(rejected.Limit, rejected.RetryAfter ?? TimeSpan.Zero);
            Log.ServerRejected(_logger, key.Model, rejected.Limit.ToDisplayName(), pause.TotalMilliseconds);
            if (pause > TimeSpan.Zero)
            {
                await _limiter.PauseAsync(key, pause, rejected.Limit, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static long? RequestedOf(GroqException exception) => exception switch
    {
        GroqRateLimitException limit => limit.Requested,
        GroqRequestTooLargeException tooLarge => tooLarge.Requested,
        _ => null,
    };

    // A limit refills completely within its window, so no honest wait is longer; a longer one is a misread hint, and
    // pausing a model for it would fail every request meanwhile.
    private static TimeSpan MaxPause(GroqLimitKind limit, TimeSpan wait)
    {
        TimeSpan window = limit switch
        {
            GroqLimitKind.RequestsPerMinute or GroqLimitKind.TokensPerMinute or GroqLimitKind.OutputTokensPerMinute => TimeSpan.FromMinutes(1),
            GroqLimitKind.AudioSecondsPerHour => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        return wait > window ? window : wait;
    }

    private async ValueTask OnAnsweredAsync(QuotaKey key, QuotaLease lease, HttpResponseMessage response, GroqRequestInfo info, RequestTokenEstimate estimate)
    {
        ResponseObservation? observation = info.Observation;

        // Read here, not kept on the observation: an open stream does not carry them, and nothing is parsed when limiting is off.
        GroqRateLimitHeaders? headers = GroqRateLimitHeaders.Parse(response.Headers);
        if (headers is not null)
        {
            await _limiter.LearnAsync(key, new QuotaObservation(headers, lease.Reservation.Id), CancellationToken.None).ConfigureAwait(false);
        }

        if (!response.IsSuccessStatusCode)
        {
            // Only without the inspection handler below (which throws instead): Groq ran nothing.
            await lease.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && GroqRetryAfter.Parse(response.Headers, TimeProvider.GetUtcNow()) is { } wait && wait > TimeSpan.Zero)
            {
                _metrics.RecordServerRejection(key.Model, GroqLimitKind.Unknown);
                await _limiter.PauseAsync(key, wait, GroqLimitKind.Unknown, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        if (observation is null)
        {
            // No usage will be reported for this answer: keep what was reserved counted, as Groq counts at least that much.
            await lease.SettleAsync(lease.Reservation.Tokens, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        // Settled on the thread that ends the body, before its last read returns: the tokens are back the moment the answer
        // is complete, and no thread-pool hop is spent per request (an in-memory settle is a lock and a little arithmetic).
        observation.OnCompleted(new Settlement(this, key.Model, lease, info.Context.Feature, estimate, learnCompletion: info.MaxTokens is null));
    }

    /// <summary>What settling an answered attempt needs once its body ended: the one object an open stream keeps for it.</summary>
    private sealed class Settlement(RateLimitingHandler handler, string model, QuotaLease lease, string? feature, RequestTokenEstimate estimate, bool learnCompletion)
        : ResponseObserver
    {
        public override void OnCompleted(ResponseOutcome outcome)
        {
            handler.Settle(model, lease, outcome, feature, estimate);
            if (learnCompletion && outcome.Usage is { } usage)
            {
                handler._completions.Observe(model, usage.CompletionTokens);
            }
        }
    }

    private void Settle(string model, QuotaLease lease, ResponseOutcome outcome, string? feature, RequestTokenEstimate estimate)
    {
        // Groq debits prompt + completion − cached prompt tokens after completion (§5.3). Without usage (a stream cut short),
        // Groq ran the request and counted up to the reservation: keep it.
        GroqUsage? usage = outcome.Usage;
        long actual = usage is null ? lease.Reservation.Tokens : Math.Max(0, usage.PromptTokens + usage.CompletionTokens - usage.CachedTokens);
        try
        {
            ValueTask<bool> settling = lease.SettleAsync(actual, CancellationToken.None);
            if (!settling.IsCompletedSuccessfully)
            {
                // A shared store (Redis) settles over the network: finish that off the reader's thread.
                _ = SettleLaterAsync(settling, model, lease, outcome, usage, feature, estimate, actual);
                return;
            }

            _ = settling.Result;
            Settled(model, lease, outcome, usage, feature, estimate, actual);
        }
        catch (Exception exception)
        {
            // This runs inside the caller's last read: an unsettled reservation only delays admissions until its window
            // refills, so it is logged, never thrown into the answer.
            Log.SettleFailed(_logger, model, exception);
        }
    }

    private async Task SettleLaterAsync(ValueTask<bool> settling, string model, QuotaLease lease, ResponseOutcome outcome, GroqUsage? usage, string? feature, RequestTokenEstimate estimate, long actual)
    {
        try
        {
            await settling.ConfigureAwait(false);
            Settled(model, lease, outcome, usage, feature, estimate, actual);
        }
        catch (Exception exception)
        {
            // Nobody awaits this continuation: log instead of leaving an unobserved exception.
            Log.SettleFailed(_logger, model, exception);
        }
    }

    private void Settled(string model, QuotaLease lease, ResponseOutcome outcome, GroqUsage? usage, string? feature, RequestTokenEstimate estimate, long actual)
    {
        Log.Settled(_logger, model, lease.Reservation.Tokens, actual, outcome.Kind);
        if (usage is not null)
        {
            _estimator.Observe(model, feature, estimate, usage.PromptTokens);
        }
    }
}
