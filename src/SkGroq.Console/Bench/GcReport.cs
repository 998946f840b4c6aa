namespace SkGroq.Console.Bench;

/// <summary>Garbage collections during a load run.</summary>
/// <param name="Gen0">Generation 0 collections.</param>
/// <param name="Gen1">Generation 1 collections.</param>
/// <param name="Gen2">Generation 2 collections.</param>
/// <param name="PauseMs">Time the runtime was paused, in milliseconds.</param>
internal sealed record GcReport(int Gen0, int Gen1, int Gen2, double PauseMs);
