namespace SkGroq.Caching.Conversion;

/// <summary>Where the recording of a stream stands.</summary>
internal enum SseRecorderState
{
    /// <summary>Payloads are being kept.</summary>
    Recording,

    /// <summary><c>data: [DONE]</c> arrived: the stream is complete.</summary>
    Done,

    /// <summary>An error frame or a frame of another event type arrived: the stream is not kept.</summary>
    Rejected,

    /// <summary>The payloads passed the size limit: the stream is not kept.</summary>
    TooLarge,
}
