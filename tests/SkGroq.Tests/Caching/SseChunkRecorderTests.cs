using System.Text;
using SkGroq.Caching.Conversion;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

public sealed class SseChunkRecorderTests
{
    [Theory]
    [InlineData("stream-include-usage.sse")]
    [InlineData("stream-tool-call.sse")]
    [InlineData("stream-reasoning.sse")]
    public void Feed_RecordedStreamSplitAnywhere_KeepsThePayloadsExactly(string name)
    {
        byte[] sse = InspectionTestData.Bytes(name);
        List<ReadOnlyMemory<byte>> expected = CachingTestData.RecordedPayloads(name);
        for (int split = 1; split < sse.Length; split += 7)
        {
            using var recorder = new SseChunkRecorder(1 << 20);
            recorder.Feed(sse.AsSpan(0, split));
            Assert.Equal(SseRecorderState.Done, recorder.Feed(sse.AsSpan(split)));

            (byte[] payloads, int[] ends) = recorder.Detach();

            Assert.Equal(expected.Count, ends.Length);
            int start = 0;
            for (int i = 0; i < ends.Length; i++)
            {
                Assert.True(expected[i].Span.SequenceEqual(payloads.AsSpan(start, ends[i] - start)), $"payload {i}, split at {split}");
                start = ends[i];
            }
        }
    }

    [Fact]
    public void Feed_ByteByByte_Done()
    {
        byte[] sse = InspectionTestData.Bytes("stream-include-usage.sse");
        using var recorder = new SseChunkRecorder(1 << 20);
        foreach (byte b in sse)
        {
            recorder.Feed([b]);
        }

        Assert.Equal(SseRecorderState.Done, recorder.State);
        Assert.Equal(3, recorder.Count);
    }

    [Fact]
    public void Feed_ErrorEvent_Rejected()
    {
        using var recorder = new SseChunkRecorder(1 << 20);

        SseRecorderState state = recorder.Feed(InspectionTestData.Bytes("stream-error-event.sse"));

        Assert.Equal(SseRecorderState.Rejected, state);
        Assert.Throws<InvalidOperationException>(() => recorder.Detach());
    }

    [Fact]
    public void Feed_DataOnlyErrorFrame_Rejected()
    {
        using var recorder = new SseChunkRecorder(1 << 20);

        SseRecorderState state = recorder.Feed(Encoding.UTF8.GetBytes(InspectionTestData.FirstChunk() + "data: {\"error\":{\"message\":\"boom\"}}\n\n" + InspectionTestData.Done));

        Assert.Equal(SseRecorderState.Rejected, state);
    }

    [Fact]
    public void Feed_NoDone_StillRecording()
    {
        using var recorder = new SseChunkRecorder(1 << 20);

        SseRecorderState state = recorder.Feed(Encoding.UTF8.GetBytes(InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("Hi")));

        Assert.Equal(SseRecorderState.Recording, state);
        Assert.Equal(2, recorder.Count);
    }

    [Fact]
    public void Feed_DoneWithoutChunks_Rejected()
    {
        using var recorder = new SseChunkRecorder(1 << 20);

        Assert.Equal(SseRecorderState.Rejected, recorder.Feed(Encoding.UTF8.GetBytes(InspectionTestData.Done)));
    }

    [Fact]
    public void Feed_PastTheSizeLimit_TooLargeAndStaysSo()
    {
        using var recorder = new SseChunkRecorder(300);
        string stream = InspectionTestData.Stream("m", 1, 2, "a", "b", "c");

        Assert.Equal(SseRecorderState.TooLarge, recorder.Feed(Encoding.UTF8.GetBytes(stream)));
        Assert.Equal(SseRecorderState.TooLarge, recorder.Feed(Encoding.UTF8.GetBytes(InspectionTestData.Done)));
    }
}
