namespace SkGroq.Caching.Conversion;

/// <summary>Hears how far an <see cref="SseReplayStream"/>'s reader got and how the replay ended.</summary>
internal interface IReplayListener
{
    /// <summary>Called when the reader has received the last byte of a payload frame.</summary>
    /// <param name="frames">How many payload frames the reader has received.</param>
    void FrameRead(int frames);

    /// <summary>Called once, when the replay ended.</summary>
    /// <param name="end">How it ended.</param>
    /// <param name="frames">How many payload frames the reader received.</param>
    void Ended(ReplayEnd end, int frames);
}
