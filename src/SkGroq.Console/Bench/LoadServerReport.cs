namespace SkGroq.Console.Bench;

/// <summary>The server a load ran against.</summary>
/// <param name="Emulator">Whether it was the in-process emulator started for the run.</param>
/// <param name="BaseUrl">Its base URL.</param>
/// <param name="TtftMs">Its own time to first token, in milliseconds (subtracted to give the client's overhead).</param>
/// <param name="TokensPerSecond">Its generation speed, when it is the in-process emulator (zero: unpaced).</param>
internal sealed record LoadServerReport(bool Emulator, string BaseUrl, double TtftMs, double? TokensPerSecond);
