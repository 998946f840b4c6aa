using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SkGroq.Usage;

/// <summary>
/// Publishes usage through <see cref="System.Diagnostics.Metrics"/> under the OpenTelemetry GenAI semantic conventions:
/// <c>gen_ai.client.token.usage</c>, <c>gen_ai.client.operation.duration</c> and
/// <c>gen_ai.client.operation.time_to_first_chunk</c> (streaming only), on the meter <see cref="MeterName"/>.
/// </summary>
/// <remarks>
/// Attributes: <c>gen_ai.operation.name</c> = <c>chat</c>, <c>gen_ai.provider.name</c> (and the older <c>gen_ai.system</c>)
/// = <c>groq</c>, <c>gen_ai.request.model</c>, <c>gen_ai.response.model</c>, <c>gen_ai.token.type</c> (<c>input</c>/<c>output</c>),
/// and <c>error.type</c> on requests that did not succeed. Token usage reports billed tokens, so cache hits add none.
/// </remarks>
internal sealed class UsageMetrics : IDisposable
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "SkGroq";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<long> _tokenUsage;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _timeToFirstChunk;
    private readonly Counter<long> _dropped;

    /// <summary>Initializes a new instance of the <see cref="UsageMetrics"/> class.</summary>
    /// <param name="meterFactory">The host's meter factory; without one the meter is created (and disposed) here.</param>
    public UsageMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _tokenUsage = _meter.CreateHistogram(
            "gen_ai.client.token.usage",
            "{token}",
            "Number of input and output tokens used.",
            tags: null,
            new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
        InstrumentAdvice<double> seconds = new() { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] };
        _duration = _meter.CreateHistogram("gen_ai.client.operation.duration", "s", "GenAI operation duration.", tags: null, seconds);
        _timeToFirstChunk = _meter.CreateHistogram(
            "gen_ai.client.operation.time_to_first_chunk",
            "s",
            "Time to receive the first chunk of a streamed answer, from when the request was issued.",
            tags: null,
            seconds);
        _dropped = _meter.CreateCounter<long>("skgroq.usage.records_dropped", "{record}", "Usage records the ledger could not persist.");
    }

    /// <summary>Records one request.</summary>
    /// <param name="record">The record.</param>
    public void Record(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        TagList tags = Tags(record);
        if (record.Outcome != UsageOutcome.Ok)
        {
            tags.Add("error.type", record.ErrorKind ?? "_OTHER");
        }

        _duration.Record(record.Duration.TotalSeconds, tags);
        if (record.Streaming && record.TimeToFirstToken is { } ttft)
        {
            _timeToFirstChunk.Record(ttft.TotalSeconds, tags);
        }

        if (record.Usage is not null && !record.CacheHit)
        {
            TagList input = Tags(record);
            input.Add("gen_ai.token.type", "input");
            _tokenUsage.Record(record.BilledPromptTokens, input);
            TagList output = Tags(record);
            output.Add("gen_ai.token.type", "output");
            _tokenUsage.Record(record.BilledCompletionTokens, output);
        }
    }

    /// <summary>Counts records the ledger could not persist.</summary>
    /// <param name="count">How many.</param>
    public void RecordDropped(int count) => _dropped.Add(count);

    /// <summary>Disposes the meter when it was created here.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static TagList Tags(UsageRecord record)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", "groq" },
            { "gen_ai.system", "groq" },
            { "gen_ai.request.model", record.ModelRequested },
        };
        if (record.ModelAnswered is { } answered)
        {
            tags.Add("gen_ai.response.model", answered);
        }

        return tags;
    }
}
