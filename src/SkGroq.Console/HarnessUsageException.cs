namespace SkGroq.Console;

/// <summary>The command cannot run as asked (bad arguments or setup); the message says what to change.</summary>
internal sealed class HarnessUsageException(string message) : Exception(message);
