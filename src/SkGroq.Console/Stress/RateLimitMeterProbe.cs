using System.Diagnostics.Metrics;

namespace SkGroq.Console.Stress;

/// <summary>
/// Listens to the rate limiter's metrics (meter <c>SkGroq.RateLimiting</c>) during a stress run: every admitted attempt's queue
/// wait (<c>skgroq.ratelimit.wait.duration</c>) and every server 429 (<c>skgroq.ratelimit.server_rejections</c>), for one model.
/// </summary>
internal sealed class RateLimitMeterProbe : IDisposable
{
    private const string MeterName = "SkGroq.RateLimiting";
    private const string WaitInstrument = "skgroq.ratelimit.wait.duration";
    private const string ServerRejectionsInstrument = "skgroq.ratelimit.server_rejections";
    private readonly MeterListener _listener = new();
    private readonly List<double> _waitsMs = [];
    private readonly string _model;
    private long _serverRejections;

    /// <param name="meterScope">The <see cref="IMeterFactory"/> the pipeline's meters come from (other service providers in the process are ignored); <see langword="null"/> for meters made without a factory.</param>
    /// <param name="model">The model whose measurements count.</param>
    public RateLimitMeterProbe(object? meterScope, string model)
    {
        _model = model;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && ReferenceEquals(instrument.Meter.Scope, meterScope)
                && instrument.Name is WaitInstrument or ServerRejectionsInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == WaitInstrument && IsModel(tags))
            {
                lock (_waitsMs)
                {
                    _waitsMs.Add(value * 1000);
                }
            }
        });
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == ServerRejectionsInstrument && IsModel(tags))
            {
                Interlocked.Add(ref _serverRejections, value);
            }
        });
        _listener.Start();
    }

    /// <summary>Gets the 429s Groq sent.</summary>
    public long ServerRejections => Interlocked.Read(ref _serverRejections);

    /// <summary>Gets the queue waits of the admitted attempts, in milliseconds.</summary>
    public IReadOnlyList<double> WaitsMs
    {
        get
        {
            lock (_waitsMs)
            {
                return [.. _waitsMs];
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    private bool IsModel(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "gen_ai.request.model")
            {
                return tag.Value as string == _model;
            }
        }

        return false;
    }
}
