namespace SkGroq.Inspection.Sse;

/// <summary>One dispatched server-sent event: its <c>event:</c> type and joined <c>data:</c> lines.</summary>
/// <remarks>The spans point into the scanner's input or its own buffer and are valid only until the next call to the scanner.</remarks>
internal readonly ref struct SseFrame
{
    /// <summary>Initializes a new instance of the <see cref="SseFrame"/> struct.</summary>
    /// <param name="eventType">The <c>event:</c> field; empty when absent (the default type, <c>message</c>).</param>
    /// <param name="data">The data lines joined with <c>\n</c>.</param>
    /// <param name="startOffset">Where the frame's first line began in the current input; -1 when it began in an earlier input.</param>
    public SseFrame(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, int startOffset)
    {
        EventType = eventType;
        Data = data;
        StartOffset = startOffset;
    }

    /// <summary>Gets the <c>event:</c> field; empty when the frame had none.</summary>
    public ReadOnlySpan<byte> EventType { get; }

    /// <summary>Gets the data lines joined with <c>\n</c>.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Gets where the frame's first line began in the current input; -1 when it began in an earlier input.</summary>
    public int StartOffset { get; }
}
