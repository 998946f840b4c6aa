using System.Diagnostics.Metrics;
using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>
/// The rate limiter's metrics (meter <c>SkGroq.RateLimiting</c>): queue length, time spent waiting by binding limit,
/// local refusals, and Groq's own 429s.
/// </summary>
internal sealed class RateLimitingMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SkGroq.RateLimiting";

    private const string ModelTag = "gen_ai.request.model";
    private const string LimitTag = "limit";
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _wait;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _serverRejections;

    public RateLimitingMetrics(QuotaLimiter limiter, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableUpDownCounter(
            "skgroq.ratelimit.queue.length",
            () => ObserveQueues(limiter),
            unit: "{request}",
            description: "Requests waiting for quota, per model.");
        _wait = _meter.CreateHistogram<double>(
            "skgroq.ratelimit.wait.duration",
            unit: "s",
            description: "Time a request waited for quota before it was sent; the limit tag names the limit that bound the wait (none when it did not wait).");
        _rejections = _meter.CreateCounter<long>(
            "skgroq.ratelimit.rejections",
            unit: "{request}",
            description: "Requests the limiter refused before sending, by reason: rate_limit_timeout, queue_full, request_too_large, context_length_exceeded.");
        _serverRejections = _meter.CreateCounter<long>(
            "skgroq.ratelimit.server_rejections",
            unit: "{request}",
            description: "429 answers Groq sent despite the limiter, by limit.");
    }

    public void RecordWait(string model, GroqLimitKind limit, TimeSpan wait)
    {
        if (_wait.Enabled)
        {
            _wait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(ModelTag, model), new KeyValuePair<string, object?>(LimitTag, LimitName(limit)));
        }
    }

    public void RecordRejection(string model, string reason, GroqLimitKind limit)
        => _rejections.Add(1, new KeyValuePair<string, object?>(ModelTag, model), new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>(LimitTag, LimitName(limit)));

    public void RecordServerRejection(string model, GroqLimitKind limit)
        => _serverRejections.Add(1, new KeyValuePair<string, object?>(ModelTag, model), new KeyValuePair<string, object?>(LimitTag, LimitName(limit)));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static string LimitName(GroqLimitKind limit) => limit == GroqLimitKind.Unknown ? "none" : limit.ToAbbreviation();

    private static IEnumerable<Measurement<int>> ObserveQueues(QuotaLimiter limiter)
    {
        // Queues are per organization and model; the metric is per model.
        var perModel = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (KeyValuePair<QuotaKey, int> queue in limiter.GetQueueLengths())
        {
            perModel[queue.Key.Model] = perModel.GetValueOrDefault(queue.Key.Model) + queue.Value;
        }

        return perModel.Select(static pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>(ModelTag, pair.Key)));
    }
}
