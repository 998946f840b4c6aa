using System.Text;
using CsCheck;
using SkGroq.Inspection.Sse;

namespace SkGroq.Tests.Inspection.Sse;

/// <summary>The SSE tap on hostile input: arbitrary bytes, and a real stream with noise the SSE standard says to ignore.</summary>
public sealed class GroqStreamTapFuzzTests
{
    private static readonly string s_clean =
        InspectionTestData.FirstChunk("m") + InspectionTestData.ContentChunk("Hello ", "m") + InspectionTestData.ContentChunk("w\u00f6rld \U0001F9EA", "m")
        + InspectionTestData.FinishChunk(40, 3, "m") + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":3,\"total_tokens\":43}}\n\n" + InspectionTestData.Done;

    // Lines a server or proxy may add between frames that change nothing: comments (keep-alives), id/retry fields, unknown
    // fields, and empty lines (a frame without data is never dispatched).
    private static readonly Gen<string> s_noise = Gen.OneOf(
        Gen.Const(": keep-alive\n"),
        Gen.Const(":\n"),
        Gen.Const("id: 42\n"),
        Gen.Const("retry: 3000\n"),
        Gen.Const("x-proxy: hello\n"),
        Gen.Const("\n"),
        Gen.String[Gen.Char["abcxyz -_"], 1, 12].Select(s => ": " + s + "\n"));

    [Fact]
    public void Feed_ArbitraryBytesInArbitraryPieces_NeverThrows_AndPassesEveryByteUntilAnError()
    {
        Gen.Select(Gen.Byte.Array[0, 600], Gen.Int[0, 600].Array[0, 10]).Sample((bytes, rawCuts) =>
        {
            using var tap = new GroqStreamTap();
            int passed = 0, last = 0;
            bool error = false;
            foreach (int cut in rawCuts.Where(c => c < bytes.Length).Distinct().Order().Append(bytes.Length))
            {
                GroqTapResult result = tap.Feed(bytes.AsSpan(last, cut - last));
                passed += result.PassThrough;
                error |= result.Error;
                last = cut;
            }

            Assert.True(error ? passed <= bytes.Length : passed == bytes.Length, $"passed {passed} of {bytes.Length}");
            _ = tap.DecodeText();
        });
    }

    [Fact]
    public void Feed_SseShapedGarbage_NeverThrows_AndAnySplitAgrees()
    {
        Gen<string> line = Gen.OneOf(
            Gen.Const("data: [DONE]\n"),
            Gen.Const("event: error\n"),
            Gen.Const("data: {\"error\":{\"message\":\"x\"}}\n"),
            Gen.Const("data: {\"choices\":[{\"delta\":{\"content\":\"\\ud83e\"}}]}\n"),
            Gen.Const("data: {\"choices\":[{\"delta\":{\"content\":\"a\\\"b\"}}],\"usage\":{\"prompt_tokens\":-1}}\n"),
            Gen.Const("data: {\"x_groq\":{\"usage\":null,\"error\":\"\"}}\n"),
            Gen.Const("data: {\"choices\":[],\"usage\":{\"queue_time\":1e300,\"prompt_tokens\":9223372036854775808,\"completion_tokens\":1,\"total_tokens\":1,\"total_time\":922337203686}}\n"),
            Gen.Const("data: {not json\n"),
            Gen.Const("data:\n"),
            Gen.Const("\r\n"),
            Gen.Const("\n"),
            Gen.String[Gen.Char["data:{}[]\",\\ \n\rxe"], 0, 30]);
        Gen.Select(line.Array[0, 30], Gen.Int[1, 400].Array[0, 8]).Sample((lines, rawCuts) =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(string.Concat(lines));
            (GroqStreamTap Tap, int Passed) whole = FeedAll(bytes, []);
            (GroqStreamTap Tap, int Passed) split = FeedAll(bytes, [.. rawCuts.Where(c => c < bytes.Length).Distinct().Order()]);
            using (whole.Tap)
            using (split.Tap)
            {
                Assert.Equal(whole.Tap.ErrorKind, split.Tap.ErrorKind);
                Assert.Equal(whole.Tap.Done, split.Tap.Done);
                Assert.Equal(whole.Tap.Usage, split.Tap.Usage);
                Assert.Equal(whole.Tap.ContentChunks, split.Tap.ContentChunks);
                Assert.Equal(whole.Tap.DecodeText(), split.Tap.DecodeText());
            }
        });
    }

    [Fact]
    public void Feed_RealStreamWithNoiseBetweenFrames_SameOutcomeAsWithout()
    {
        string[] frames = s_clean.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(f => f + "\n\n").ToArray();
        using GroqStreamTap clean = FeedAll(Encoding.UTF8.GetBytes(s_clean), []).Tap;

        Gen.Select(s_noise.Array[0, 3].Array[frames.Length + 1], Gen.Int[1, 2000].Array[0, 8]).Sample((noise, rawCuts) =>
        {
            var stream = new StringBuilder();
            for (int i = 0; i < frames.Length; i++)
            {
                stream.Append(string.Concat(noise[i])).Append(frames[i]);
            }

            byte[] bytes = Encoding.UTF8.GetBytes(stream.ToString());
            (GroqStreamTap tap, int passed) = FeedAll(bytes, [.. rawCuts.Where(c => c < bytes.Length).Distinct().Order()]);
            using (tap)
            {
                Assert.Equal(clean.Usage, tap.Usage);
                Assert.Equal(clean.ContentChunks, tap.ContentChunks);
                Assert.Equal(clean.DecodeText(), tap.DecodeText());
                Assert.Equal(clean.FinishReason, tap.FinishReason);
                Assert.True(tap.Done);
                Assert.Equal(GroqStreamErrorKind.None, tap.ErrorKind);
                Assert.Equal(bytes.Length, passed);
            }
        });
    }

    private static (GroqStreamTap Tap, int Passed) FeedAll(byte[] bytes, int[] cuts)
    {
        var tap = new GroqStreamTap();
        int passed = 0, last = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            passed += tap.Feed(bytes.AsSpan(last, cut - last)).PassThrough;
            last = cut;
        }

        return (tap, passed);
    }
}
