using System.Net;
using SkGroq.Caching.Conversion;
using SkGroq.Caching.Stores;
using SkGroq.Context;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Caching;

/// <content>Answering from the cache: a new response in the shape the request asked for.</content>
internal sealed partial class ResponseCachingHandler
{
    private HttpResponseMessage Serve(HttpRequestMessage request, GroqRequestInfo info, CachedAnswer answer, bool coalesced)
    {
        TimeSpan age = TimeProvider.GetUtcNow() - answer.StoredAt;
        _cache.RecordHit(answer, coalesced);
        Log.Hit(_logger, info.Model, age.TotalSeconds, coalesced ? "single_flight" : "store");
        info.Status?.Report(new GroqRequestStatus(
            GroqRequestPhase.CacheHit,
            info.Model ?? string.Empty,
            coalesced ? "Answered with the answer of an identical request in flight." : $"Answered from the response cache (stored {CacheAge.Format(age)} ago)."));
        return CreateResponse(request, info, answer, age, stale: false);
    }

    private HttpResponseMessage ServeStale(HttpRequestMessage request, GroqRequestInfo info, CachedAnswer answer, GroqException error)
    {
        DateTimeOffset now = TimeProvider.GetUtcNow();
        TimeSpan age = now - answer.StoredAt;
        bool stale = Freshness(answer, now) != CacheFreshness.Fresh;
        _cache.RecordStale(answer, error.Kind);
        Log.ServedStale(_logger, info.Model, error.Kind, age.TotalMinutes);
        info.Status?.Report(new GroqRequestStatus(
            GroqRequestPhase.CacheHit,
            info.Model ?? string.Empty,
            $"Groq unavailable ({Describe(error)}): serving a cached answer from {CacheAge.Format(age)} ago."));
        return CreateResponse(request, info, answer, age, stale);
    }

    private HttpResponseMessage CreateResponse(HttpRequestMessage request, GroqRequestInfo info, CachedAnswer answer, TimeSpan age, bool stale)
    {
        // The usage tracker above reads these: 0 billed tokens, the original's tokens saved, and "stale" on the record.
        info.CacheHit = true;
        info.Stale = stale;

        // What the answer says (usage saved, model, finish reason, request id) was read once, when it was first served: the
        // replay completes the observation as the inspection handler's would, without reading the bytes again.
        HttpContent content;
        if (info.Stream)
        {
            var replay = ReplayObservation.Stream(answer.GetReplayFacts(info.IncludeUsage), TimeProvider);
            info.Observation = replay.Observation;
            content = new StreamContent(new SseReplayStream(answer.GetReplayChunks(info.IncludeUsage), _options.ReplayChunkInterval, TimeProvider, replay));
            content.Headers.TryAddWithoutValidation("Content-Type", "text/event-stream");
        }
        else
        {
            info.Observation = ReplayObservation.Json(answer.GetJsonFacts(), TimeProvider);
            content = new ByteArrayContent(answer.GetJson());
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = content };
        response.Headers.TryAddWithoutValidation(ResponseCachingDefaults.CacheHeader, stale ? "stale" : "hit");
        response.Headers.Age = age > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Floor(age.TotalSeconds)) : TimeSpan.Zero;
        return response;
    }

    private static string Describe(GroqException error)
        => error.StatusCode is { } status
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{status} {error.Kind.Replace('_', ' ')}")
            : error.Kind.Replace('_', ' ');
}
