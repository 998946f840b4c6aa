namespace SkGroq.Errors;

/// <summary>Which watchdog fired.</summary>
public enum GroqTimeoutKind
{
    /// <summary>No response byte arrived within the attempt timeout.</summary>
    FirstByte,

    /// <summary>A stream stayed silent longer than the idle timeout.</summary>
    StreamIdle,

    /// <summary>The request's deadline passed.</summary>
    Deadline,
}
