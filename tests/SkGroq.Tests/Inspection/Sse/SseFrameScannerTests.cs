using System.Text;
using CsCheck;
using SkGroq.Inspection.Sse;

namespace SkGroq.Tests.Inspection.Sse;

public sealed class SseFrameScannerTests
{
    private static List<(string Event, string Data)> Scan(params string[] pieces)
    {
        using var scanner = new SseFrameScanner();
        var frames = new List<(string, string)>();
        foreach (string piece in pieces)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(piece);
            int offset = 0;
            while (scanner.TryReadFrame(bytes, ref offset, out SseFrame frame))
            {
                frames.Add((Encoding.UTF8.GetString(frame.EventType), Encoding.UTF8.GetString(frame.Data)));
            }
        }

        return frames;
    }

    [Fact]
    public void TryReadFrame_FrameSplitAcrossInputs_HoldsABufferOnlyUntilTheFrameIsDone()
    {
        // An event line and a data line cut in the middle: both halves must be kept between the two inputs.
        byte[] first = Encoding.UTF8.GetBytes("event: err");
        byte[] second = Encoding.UTF8.GetBytes("or\ndata: {\"a\":");
        byte[] third = Encoding.UTF8.GetBytes("1}\n\n");
        using var scanner = new SseFrameScanner();
        var frames = new List<(string, string)>();

        int offset = 0;
        Assert.False(scanner.TryReadFrame(first, ref offset, out _));
        Assert.True(scanner.RentedBytes > 0);
        offset = 0;
        Assert.False(scanner.TryReadFrame(second, ref offset, out _));
        Assert.True(scanner.RentedBytes > 0);
        offset = 0;
        while (scanner.TryReadFrame(third, ref offset, out SseFrame frame))
        {
            frames.Add((Encoding.UTF8.GetString(frame.EventType), Encoding.UTF8.GetString(frame.Data)));
        }

        Assert.Equal([("error", "{\"a\":1}")], frames);

        // The input is used up and the frame handed out: a stream waiting for its next bytes holds no pooled array.
        Assert.Equal(0, scanner.RentedBytes);
    }

    [Fact]
    public void TryReadFrame_DataOnlyFrames_YieldsEachData()
    {
        List<(string Event, string Data)> frames = Scan("data: {\"a\":1}\n\ndata: [DONE]\n\n");

        Assert.Equal([("", "{\"a\":1}"), ("", "[DONE]")], frames);
    }

    [Fact]
    public void TryReadFrame_EventErrorFrame_CarriesEventType()
    {
        List<(string Event, string Data)> frames = Scan("event: error\ndata: {\"error\":{}}\n\n");

        Assert.Equal([("error", "{\"error\":{}}")], frames);
    }

    [Theory]
    [InlineData("data: x\r\n\r\n")]
    [InlineData("data: x\r\r")]
    [InlineData("data: x\n\n")]
    [InlineData("data:x\n\n")]
    [InlineData(": comment\ndata: x\nid: 7\nretry: 10\n\n")]
    [InlineData("\uFEFFdata: x\n\n")]
    public void TryReadFrame_LineEndsCommentsAndBom_FollowTheStandard(string stream)
        => Assert.Equal([("", "x")], Scan(stream));

    [Fact]
    public void TryReadFrame_SeveralDataLines_JoinedWithLineFeed()
        => Assert.Equal([("", "a\nb\n")], Scan("data: a\ndata:b\ndata\n\n"));

    [Fact]
    public void TryReadFrame_FrameWithoutData_IsNotDispatchedAndResetsEventType()
        => Assert.Equal([("", "x")], Scan("event: error\n\ndata: x\n\n"));

    [Fact]
    public void TryReadFrame_UnterminatedFrame_IsNotDispatched()
        => Assert.Empty(Scan("data: x\n"));

    [Fact]
    public void TryReadFrame_CrAtEndOfPieceThenLfInNext_IsOneLineEnd()
        => Assert.Equal([("", "x"), ("", "y")], Scan("data: x\r", "\n\r", "\ndata: y\n\n"));

    [Fact]
    public void TryReadFrame_FrameInOneInput_ReportsItsStartOffset()
    {
        using var scanner = new SseFrameScanner();
        byte[] bytes = Encoding.UTF8.GetBytes("data: a\n\nevent: error\ndata: b\n\n");
        int offset = 0;
        Assert.True(scanner.TryReadFrame(bytes, ref offset, out SseFrame first));
        Assert.Equal(0, first.StartOffset);
        Assert.True(scanner.TryReadFrame(bytes, ref offset, out SseFrame second));
        Assert.Equal(9, second.StartOffset);
    }

    [Fact]
    public void TryReadFrame_FrameBegunInEarlierInput_ReportsMinusOne()
    {
        using var scanner = new SseFrameScanner();
        byte[] first = Encoding.UTF8.GetBytes("event: er");
        byte[] second = Encoding.UTF8.GetBytes("ror\ndata: b\n\n");
        int offset = 0;
        Assert.False(scanner.TryReadFrame(first, ref offset, out _));
        offset = 0;
        Assert.True(scanner.TryReadFrame(second, ref offset, out SseFrame frame));
        Assert.Equal(-1, frame.StartOffset);
        Assert.Equal("error", Encoding.UTF8.GetString(frame.EventType));
    }

    [Fact]
    public void TryReadFrame_AnySplitOfARecordedStream_GivesTheSameFrames()
    {
        string stream = Tests.Inspection.InspectionTestData.Text("stream-include-usage.sse") + "event: error\r\ndata: {\"e\":1}\r\n\r\n: c\n" + "data: a\ndata: b\n\n";
        List<(string Event, string Data)> expected = Scan(stream);
        Assert.Equal(6, expected.Count);

        Gen.Int[1, stream.Length - 1].Array[0, 12].Sample(cuts =>
        {
            int[] sorted = [.. cuts.Distinct().Order()];
            var pieces = new List<string>();
            int last = 0;
            foreach (int cut in sorted)
            {
                pieces.Add(stream[last..cut]);
                last = cut;
            }

            pieces.Add(stream[last..]);
            Assert.Equal(expected, Scan([.. pieces]));
        });
    }
}
