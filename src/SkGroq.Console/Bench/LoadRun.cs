namespace SkGroq.Console.Bench;

/// <summary>The raw outcome of a load run: every conversation's requests and the wall-clock time.</summary>
/// <param name="Conversations">One result per conversation.</param>
/// <param name="Elapsed">From the first request to the end of the last one.</param>
internal sealed record LoadRun(IReadOnlyList<ConversationResult> Conversations, TimeSpan Elapsed);
