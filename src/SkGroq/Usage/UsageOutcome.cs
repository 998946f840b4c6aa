namespace SkGroq.Usage;

/// <summary>How a request ended.</summary>
public enum UsageOutcome
{
    /// <summary>The answer arrived whole.</summary>
    Ok,

    /// <summary>The request failed before an answer started; see <see cref="UsageRecord.ErrorKind"/>.</summary>
    Error,

    /// <summary>The caller cancelled the request.</summary>
    Cancelled,

    /// <summary>A streamed answer started but ended early (error frame, disconnect, stall, or the caller stopped reading).</summary>
    Incomplete,
}
