namespace SkGroq.Context;

/// <summary>Which requests the queue serves first when quota is short.</summary>
public enum GroqPriority
{
    /// <summary>A person is waiting for the answer; served before background work.</summary>
    Interactive = 0,

    /// <summary>Batch or agent work that can wait.</summary>
    Background = 1,
}
