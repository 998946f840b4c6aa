using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// Samples what the process allocates, by type: the runtime reports one allocation about every 100 KB (its
/// <c>GCAllocationTick</c> event, with the type and the bytes since the last one), so over many requests the sampled bytes
/// per type approach the real ones. A profile of allocations without an external tool.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private volatile bool _recording;

    /// <summary>Gets the sampled bytes per type since the last <see cref="Start"/>.</summary>
    public IReadOnlyDictionary<string, long> Bytes => _bytes;

    /// <summary>Clears the samples and starts recording.</summary>
    public void Start()
    {
        _bytes.Clear();
        _recording = true;
    }

    /// <summary>Stops recording.</summary>
    public void Stop() => _recording = false;

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int typeIndex = eventData.PayloadNames!.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0 || amountIndex < 0)
        {
            return;
        }

        string type = eventData.Payload[typeIndex] as string ?? "?";
        long amount = Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }
}
