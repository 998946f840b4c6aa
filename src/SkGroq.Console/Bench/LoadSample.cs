namespace SkGroq.Console.Bench;

/// <summary>One streamed answer as the client saw it.</summary>
/// <param name="TimeToFirstToken">From the call to the first piece of text.</param>
/// <param name="Generation">From the first piece of text to the end of the stream.</param>
/// <param name="CompletionTokens">Completion tokens the server reported (else the chunks that carried text).</param>
/// <param name="FirstOfConversation">Whether it was the conversation's first request (the one that may open a connection).</param>
internal readonly record struct LoadSample(TimeSpan TimeToFirstToken, TimeSpan Generation, long CompletionTokens, bool FirstOfConversation);
