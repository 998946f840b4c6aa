using System.Text;
using SkGroq.Caching.Conversion;
using SkGroq.Caching.Stores;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

public sealed class CachedAnswerTests
{
    private static readonly CachedAnswerInfo s_info = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), "openai/gpt-oss-20b", "stop", 75, 1);

    [Fact]
    public void Serialize_StreamEntry_RoundTripsEveryPayloadAndFact()
    {
        CachedAnswer answer = StreamAnswer("stream-include-usage.sse");

        CachedAnswer? back = CachedAnswerSerializer.Deserialize(CachedAnswerSerializer.Serialize(answer));

        Assert.NotNull(back);
        Assert.Equal(CachedAnswerKind.Stream, back.Kind);
        Assert.Equal(s_info, back.Info);
        Assert.True(answer.Data.SequenceEqual(back.Data));
        Assert.True(answer.ChunkEnds.SequenceEqual(back.ChunkEnds));
    }

    [Fact]
    public void Serialize_JsonEntryWithoutModel_RoundTrips()
    {
        byte[] body = InspectionTestData.Bytes("nonstream-2026.json");
        CachedAnswer answer = CachedAnswer.FromJson(body, s_info with { Model = null, FinishReason = "length" });

        CachedAnswer? back = CachedAnswerSerializer.Deserialize(CachedAnswerSerializer.Serialize(answer));

        Assert.NotNull(back);
        Assert.Equal(CachedAnswerKind.Json, back.Kind);
        Assert.Null(back.Info.Model);
        Assert.Equal("length", back.Info.FinishReason);
        Assert.Equal(body, back.GetJson());
    }

    [Fact]
    public void Deserialize_DamagedOrForeignBytes_NoEntry()
    {
        byte[] bytes = CachedAnswerSerializer.Serialize(StreamAnswer("stream-tool-call.sse"));

        Assert.Null(CachedAnswerSerializer.Deserialize([]));
        Assert.Null(CachedAnswerSerializer.Deserialize(Encoding.UTF8.GetBytes("{\"not\":\"an entry\"}")));
        for (int length = 0; length < bytes.Length; length += 13)
        {
            Assert.Null(CachedAnswerSerializer.Deserialize(bytes.AsSpan(0, length)));
        }

        byte[] otherVersion = (byte[])bytes.Clone();
        otherVersion[4] = 2;
        Assert.Null(CachedAnswerSerializer.Deserialize(otherVersion));
        Assert.Null(CachedAnswerSerializer.Deserialize([.. bytes, 0]));
    }

    [Fact]
    public void GetReplayChunks_RequestShapedLikeTheOriginal_OriginalPayloads()
    {
        CachedAnswer answer = StreamAnswer("stream-include-usage.sse");

        ReadOnlyMemory<ReadOnlyMemory<byte>> chunks = answer.GetReplayChunks(includeUsage: true);

        Assert.Equal(CachingTestData.RecordedPayloads("stream-include-usage.sse").Select(p => p.ToArray()), chunks.ToArray().Select(p => p.ToArray()));
    }

    [Fact]
    public void GetReplayChunks_WithoutIncludeUsage_DropsTheUsageOnlyChunk()
    {
        CachedAnswer answer = StreamAnswer("stream-include-usage.sse");

        ReadOnlyMemory<ReadOnlyMemory<byte>> chunks = answer.GetReplayChunks(includeUsage: false);

        Assert.Equal(2, chunks.Length);
        Assert.False(ChatCompletionConverter.IsUsageOnlyChunk(chunks.Span[^1].Span));
    }

    [Fact]
    public void GetReplayChunks_IncludeUsageOnAStreamWithoutIt_AddsOne()
    {
        CachedAnswer answer = StreamAnswer("stream-tool-call.sse");

        ReadOnlyMemory<ReadOnlyMemory<byte>> chunks = answer.GetReplayChunks(includeUsage: true);

        Assert.Equal(4, chunks.Length);
        Assert.True(ChatCompletionConverter.IsUsageOnlyChunk(chunks.Span[^1].Span));
        Assert.Equal(3, answer.GetReplayChunks(includeUsage: false).Length);
    }

    [Fact]
    public void GetJson_StreamEntry_ConvertedOnceAndKept()
    {
        CachedAnswer answer = StreamAnswer("stream-tool-call.sse");

        Assert.Same(answer.GetJson(), answer.GetJson());
        Assert.Same(answer.GetChunks(), answer.GetChunks());
    }

    [Fact]
    public void FromStream_EndsNotCoveringThePayloads_Throws()
    {
        Assert.Throws<ArgumentException>(() => CachedAnswer.FromStream([1, 2, 3], [2], s_info));
    }

    internal static CachedAnswer StreamAnswer(string name)
    {
        List<ReadOnlyMemory<byte>> payloads = CachingTestData.RecordedPayloads(name);
        byte[] data = [.. payloads.SelectMany(p => p.ToArray())];
        int[] ends = new int[payloads.Count];
        for (int i = 0, end = 0; i < payloads.Count; i++)
        {
            ends[i] = end += payloads[i].Length;
        }

        return CachedAnswer.FromStream(data, ends, s_info);
    }
}
