namespace SkGroq.Console.Bench;

/// <summary>What <c>bench load</c> runs.</summary>
/// <param name="Streams">How many conversations stream at once.</param>
/// <param name="Duration">How long conversations keep starting new requests; requests under way then run to their end.</param>
/// <param name="Model">The model.</param>
/// <param name="MaxTokens">The <c>max_tokens</c> of every request.</param>
/// <param name="ThinkTime">The pause between an answer and the conversation's next question (a user reading and typing).</param>
/// <param name="Ramp">The time over which the conversations start, evenly spread (zero: all at once).</param>
/// <param name="ServerTimeToFirstToken">The server's own time to first token, subtracted from the measured one to give the client's overhead.</param>
/// <param name="Seed">The seed of the questions, so a run can be repeated.</param>
internal sealed record LoadSettings(
    int Streams,
    TimeSpan Duration,
    string Model,
    int MaxTokens,
    TimeSpan ThinkTime,
    TimeSpan Ramp,
    TimeSpan ServerTimeToFirstToken,
    int Seed = 1);
