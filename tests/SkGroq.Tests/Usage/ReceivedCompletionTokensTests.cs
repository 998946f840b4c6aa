using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

/// <summary>What a record knows of the tokens of a stream that ended early: its content chunks, only when Groq's usage never came.</summary>
public sealed class ReceivedCompletionTokensTests
{
    [Theory]
    [InlineData(true, UsageOutcome.Incomplete, false, 7L)]
    [InlineData(true, UsageOutcome.Incomplete, true, null)]
    [InlineData(true, UsageOutcome.Ok, false, null)]
    [InlineData(false, UsageOutcome.Incomplete, false, null)]
    [InlineData(true, UsageOutcome.Error, false, null)]
    public void ReceivedCompletionTokens_AreTheChunksOfAStreamCutShortWithoutUsage(bool streaming, UsageOutcome outcome, bool usageArrived, long? expected)
    {
        var record = new UsageRecord
        {
            Timestamp = DateTimeOffset.UnixEpoch,
            ModelRequested = "llama-3.1-8b-instant",
            Streaming = streaming,
            Outcome = outcome,
            CompletionChunks = 7,
            Usage = usageArrived ? new GroqUsage(10, 9, 19) : null,
        };

        Assert.Equal(expected, record.ReceivedCompletionTokens);
    }
}
