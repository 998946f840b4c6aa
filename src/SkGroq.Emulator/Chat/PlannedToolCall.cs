namespace SkGroq.Emulator.Chat;

/// <summary>A tool call the answer makes.</summary>
internal sealed record PlannedToolCall(string Id, string Name, string Arguments);
