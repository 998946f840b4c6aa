namespace SkGroq.Emulator.Wire;

/// <summary>The identity fields every body and chunk of one answer repeats.</summary>
internal sealed record CompletionHeader(string Id, long Created, string Model, string Fingerprint, string RequestId, long Seed);
