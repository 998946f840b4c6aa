using System.Diagnostics.Metrics;
using SkGroq.Caching.Stores;

namespace SkGroq.Caching;

/// <summary>
/// The response cache's metrics (meter <c>SkGroq.Caching</c>): hits (by source), misses, stale serves, tokens saved, and the
/// store's entries and bytes.
/// </summary>
internal sealed class ResponseCacheMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SkGroq.Caching";

    private const string ModelTag = "gen_ai.request.model";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _staleServes;
    private readonly Counter<long> _tokensSaved;

    public ResponseCacheMetrics(IResponseCacheStore store, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _hits = _meter.CreateCounter<long>("skgroq.cache.hits", unit: "{request}", description: "Requests answered from the response cache; source is store (a fresh entry) or single_flight (an identical request in flight).");
        _misses = _meter.CreateCounter<long>("skgroq.cache.misses", unit: "{request}", description: "Cacheable requests that had to ask Groq.");
        _staleServes = _meter.CreateCounter<long>("skgroq.cache.stale_serves", unit: "{request}", description: "Requests answered with a stale entry because Groq could not answer (degraded mode), by error.type.");
        _tokensSaved = _meter.CreateCounter<long>("skgroq.cache.tokens_saved", unit: "{token}", description: "Prompt plus completion tokens of the original answers served from the cache.");
        _meter.CreateObservableUpDownCounter<long>("skgroq.cache.entries", () => store.GetSize() is { } size ? [new Measurement<long>(size.Entries)] : [], unit: "{entry}", description: "Answers held by the store (reported only by stores that can count: the in-process one).");
        _meter.CreateObservableUpDownCounter<long>("skgroq.cache.size", () => store.GetSize() is { } size ? [new Measurement<long>(size.Bytes)] : [], unit: "By", description: "Estimated bytes held by the store (reported only by stores that can count).");
    }

    public void RecordHit(string? model, bool coalesced, long tokensSaved)
    {
        var modelTag = new KeyValuePair<string, object?>(ModelTag, model);
        _hits.Add(1, modelTag, new KeyValuePair<string, object?>("source", coalesced ? "single_flight" : "store"));
        _tokensSaved.Add(tokensSaved, modelTag);
    }

    public void RecordMiss(string? model) => _misses.Add(1, new KeyValuePair<string, object?>(ModelTag, model));

    public void RecordStale(string? model, string errorKind, long tokensSaved)
    {
        var modelTag = new KeyValuePair<string, object?>(ModelTag, model);
        _staleServes.Add(1, modelTag, new KeyValuePair<string, object?>("error.type", errorKind));
        _tokensSaved.Add(tokensSaved, modelTag);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
