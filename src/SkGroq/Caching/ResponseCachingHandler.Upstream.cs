using SkGroq.Caching.Conversion;
using SkGroq.Caching.Stores;
using SkGroq.Errors;
using SkGroq.Http;
using SkGroq.Inspection;
using SkGroq.Resilience;

namespace SkGroq.Caching;

/// <content>Asking Groq: storing what comes back, sharing it with followers, standing in when nothing does.</content>
internal sealed partial class ResponseCachingHandler
{
    private async Task<HttpResponseMessage> SendUpstreamAsync(
        HttpRequestMessage request, GroqRequestInfo info, string key, Flight<CachedAnswer>? flight, CachedAnswer? stored, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendInnerAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Followers never fail with the leader: they ask on their own (and may find a stale answer themselves).
            Share(key, info, flight, null);
            if (ex is GroqException error && !cancellationToken.IsCancellationRequested && GroqFailurePolicy.AllowsStaleAnswer(error))
            {
                HttpResponseMessage? standIn = await TryServeStaleAsync(request, info, key, stored, error, cancellationToken).ConfigureAwait(false);
                if (standIn is not null)
                {
                    return standIn;
                }
            }

            throw;
        }

        try
        {
            return await HandleAnswerAsync(response, info, key, flight, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Reading the answer failed (cancelled, broken): the followers must not wait for it.
            Share(key, info, flight, null);
            throw;
        }
    }

    private async Task<HttpResponseMessage> HandleAnswerAsync(HttpResponseMessage response, GroqRequestInfo info, string key, Flight<CachedAnswer>? flight, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode || info.Observation is not { } observation)
        {
            // Not an answer the inspection handler vouched for (it throws for error statuses; without it nothing is known).
            Share(key, info, flight, null);
            Log.NotStored(_logger, info.Model, "the response was not inspected");
            return response;
        }

        if (observation.Streaming)
        {
            return await RecordStreamAsync(response, observation, info, key, flight, cancellationToken).ConfigureAwait(false);
        }

        // A JSON body was read whole by the inspection handler: its outcome is known now.
        CachedAnswer? answer = null;
        if (observation.TryGetOutcome(out ResponseOutcome outcome) && outcome.Kind == ResponseEndKind.Completed && Storable(outcome, info) is { } answerInfo)
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length <= _options.MaxEntryBytes)
            {
                answer = CachedAnswer.FromJson(body, answerInfo);
            }
            else
            {
                Log.NotStored(_logger, info.Model, $"the answer is larger than Groq:Cache:MaxEntryBytes ({_options.MaxEntryBytes})");
            }
        }

        Share(key, info, flight, answer);
        return response;
    }

    private async Task<HttpResponseMessage> RecordStreamAsync(
        HttpResponseMessage response, ResponseObservation observation, GroqRequestInfo info, string key, Flight<CachedAnswer>? flight, CancellationToken cancellationToken)
    {
        Stream inner = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var recorder = new SseChunkRecorder(_options.MaxEntryBytes);
        var stream = new RecordingStream(inner, recorder, done =>
        {
            if (done is null)
            {
                Share(key, info, flight, null);
                Log.NotStored(_logger, info.Model, recorder.State switch
                {
                    SseRecorderState.TooLarge => $"the stream is larger than Groq:Cache:MaxEntryBytes ({_options.MaxEntryBytes})",
                    SseRecorderState.Rejected => "the stream carried an error frame",
                    _ => "the stream did not end with [DONE] (failed, cut off, cancelled or abandoned)",
                });
                return;
            }

            // Copied out now: the recorder's buffers go back to the pool when this callback returns.
            (byte[] payloads, int[] ends) = done.Detach();

            // The inspection handler completes the observation on the same read that carried [DONE] — usually already done.
            observation.OnCompleted(outcome =>
            {
                CachedAnswer? answer = outcome.Kind == ResponseEndKind.Completed && Storable(outcome, info) is { } answerInfo
                    ? CachedAnswer.FromStream(payloads, ends, answerInfo)
                    : null;
                Share(key, info, flight, answer);
            });
        });

        response.Content = new ObservedStreamContent(response.Content, stream);
        return response;
    }

    /// <summary>The facts to store with an answer, or <see langword="null"/> when its finish reason makes it not worth reusing.</summary>
    private CachedAnswerInfo? Storable(ResponseOutcome outcome, GroqRequestInfo info)
    {
        if (!CachePolicy.IsStorable(outcome.FinishReason))
        {
            Log.NotStored(_logger, info.Model, $"finish reason '{outcome.FinishReason ?? "none"}' (only stop and length are stored)");
            return null;
        }

        return new CachedAnswerInfo(
            TimeProvider.GetUtcNow(),
            outcome.ModelAnswered ?? info.Model,
            outcome.FinishReason,
            outcome.Usage?.PromptTokens ?? 0,
            outcome.Usage?.CompletionTokens ?? 0);
    }

    /// <summary>Stores a storable answer and shares it with the followers; without one, lets the followers go their own way.</summary>
    private void Share(string key, GroqRequestInfo info, Flight<CachedAnswer>? flight, CachedAnswer? answer)
    {
        if (answer is not null && string.Equals(info.Model, info.OriginalModel, StringComparison.Ordinal))
        {
            _cache.StoreAndShare(key, answer, flight);
            return;
        }

        if (answer is not null)
        {
            // Another model of the fallback chain answered: right for the identical requests waiting now, not for the next hour.
            Log.NotStored(_logger, info.OriginalModel, $"'{info.Model}' of the fallback chain answered instead");
        }

        if (flight is not null)
        {
            _cache.Flights.Complete(flight, answer);
        }
    }

    private async Task<HttpResponseMessage?> TryServeStaleAsync(
        HttpRequestMessage request, GroqRequestInfo info, string key, CachedAnswer? stored, GroqException error, CancellationToken cancellationToken)
    {
        if (_options.StaleWindow <= TimeSpan.Zero)
        {
            return null;
        }

        // A follower or a refresh may not have read the entry yet; a leader's earlier read may since have been replaced.
        stored = await _cache.GetAsync(key, cancellationToken).ConfigureAwait(false) ?? stored;
        if (stored is null || Freshness(stored, TimeProvider.GetUtcNow()) == CacheFreshness.Expired)
        {
            return null;
        }

        return ServeStale(request, info, stored, error);
    }
}
