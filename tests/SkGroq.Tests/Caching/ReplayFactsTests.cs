using System.Text;
using SkGroq.Caching.Stores;
using SkGroq.Inspection.Sse;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

/// <summary>
/// The facts a cache hit reports are read once from the stored answer; they must be what the inspection handler's tap reads
/// from the same bytes — for the whole answer and for every prefix a reader may stop after.
/// </summary>
public sealed class ReplayFactsTests
{
    public static TheoryData<string> Streams => ["stream-2024.sse", "stream-include-usage.sse", "stream-reasoning.sse", "stream-tool-call.sse"];

    [Theory]
    [MemberData(nameof(Streams))]
    public void OfStream_AfterEveryFrame_SaysWhatTheTapSaysOfTheSameFrames(string name)
    {
        List<ReadOnlyMemory<byte>> payloads = CachingTestData.RecordedPayloads(name);
        ReplayFacts facts = ReplayFacts.OfStream(payloads.ToArray());

        using var tap = new GroqStreamTap();
        int firstContent = int.MaxValue;
        Assert.Equal((0, null, null, null), (facts.ContentChunks(0), facts.UsageAfter(0), facts.ModelAfter(0), facts.RequestIdAfter(0)));
        for (int frames = 1; frames <= payloads.Count; frames++)
        {
            if (tap.Feed(Encoding.UTF8.GetBytes("data: " + Encoding.UTF8.GetString(payloads[frames - 1].Span) + "\n\n")).FirstContent)
            {
                firstContent = frames - 1;
            }

            Assert.Equal(tap.ContentChunks, facts.ContentChunks(frames));
            Assert.Equal(tap.Usage, facts.UsageAfter(frames));
            Assert.Equal(tap.Model, facts.ModelAfter(frames));
            Assert.Equal(tap.RequestId, facts.RequestIdAfter(frames));
            Assert.Equal(tap.FinishReason, facts.FinishReasonAfter(frames));
        }

        Assert.Equal(firstContent, facts.FirstContentFrame);
        Assert.Equal(payloads.Count, facts.Frames);
        Assert.NotNull(facts.Model);
    }

    [Theory]
    [InlineData("nonstream-2025.json")]
    [InlineData("nonstream-2026.json")]
    public void OfJson_SaysWhatTheBodySays(string name)
    {
        byte[] body = InspectionTestData.Bytes(name);
        SkGroq.Inspection.ChatCompletionSummary summary = SkGroq.Inspection.ChatCompletionBody.Read(body)!;

        ReplayFacts facts = ReplayFacts.OfJson(body);

        Assert.Equal((summary.Usage, summary.Model, summary.FinishReason, summary.RequestId), (facts.UsageAfter(1), facts.ModelAfter(1), facts.FinishReasonAfter(1), facts.RequestIdAfter(1)));
        Assert.Equal((1, 1, 0), (facts.Frames, facts.ContentChunks(1), facts.FirstContentFrame));
        Assert.NotNull(facts.Usage);
    }

    [Fact]
    public void OfJson_NotAChatCompletion_SaysSo()
        => Assert.Contains("not a chat completion", Assert.Throws<InvalidDataException>(() => ReplayFacts.OfJson("{\"object\":\"list\"}"u8)).Message, StringComparison.Ordinal);
}
