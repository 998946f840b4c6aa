namespace SkGroq.Console.Bench;

/// <summary>What one conversation of a load run amounted to.</summary>
/// <param name="Samples">Its successful requests, in order.</param>
/// <param name="Failures">The error kind of each failed request.</param>
internal sealed record ConversationResult(IReadOnlyList<LoadSample> Samples, IReadOnlyList<string> Failures);
