namespace SkGroq.Caching.Conversion;

/// <summary>How a replay ended.</summary>
internal enum ReplayEnd
{
    /// <summary>The reader received every frame and <c>[DONE]</c>.</summary>
    Completed,

    /// <summary>The reader's cancellation stopped a read.</summary>
    Cancelled,

    /// <summary>The stream was disposed before its end.</summary>
    Abandoned,
}
