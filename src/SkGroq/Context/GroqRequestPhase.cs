namespace SkGroq.Context;

/// <summary>Where a request is on its way through the pipeline.</summary>
public enum GroqRequestPhase
{
    /// <summary>Waiting in the queue for quota.</summary>
    Queued,

    /// <summary>Sent to the server, waiting for the first byte.</summary>
    Sending,

    /// <summary>Waiting before another attempt.</summary>
    Retrying,

    /// <summary>Switched to the next model of the fallback chain.</summary>
    FallingBack,

    /// <summary>Served from the response cache.</summary>
    CacheHit,
}
