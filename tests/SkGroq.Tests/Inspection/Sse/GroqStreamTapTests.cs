using System.Text;
using CsCheck;
using SkGroq.Inspection.Sse;

using SkGroq.Usage;

namespace SkGroq.Tests.Inspection.Sse;

public sealed class GroqStreamTapTests
{
    private static (GroqStreamTap Tap, List<GroqTapResult> Results) FeedAll(byte[] stream, params int[] cuts)
    {
        var tap = new GroqStreamTap();
        var results = new List<GroqTapResult>();
        int last = 0;
        foreach (int cut in cuts.Append(stream.Length))
        {
            results.Add(tap.Feed(stream.AsSpan(last, cut - last)));
            last = cut;
        }

        return (tap, results);
    }

    [Fact]
    public void Feed_IncludeUsageStream_TakesUsageOnceAndEverythingElse()
    {
        (GroqStreamTap tap, List<GroqTapResult> results) = FeedAll(InspectionTestData.Bytes("stream-include-usage.sse"));
        using (tap)
        {
            // The finish chunk carries usage twice (x_groq.usage and usage) and the include_usage chunk repeats it: counted once.
            Assert.Equal(new GroqUsage(75, 1, 76)
            {
                QueueTime = TimeSpan.FromSeconds(0.017371826),
                PromptTime = TimeSpan.FromSeconds(0.003517995),
                CompletionTime = TimeSpan.FromSeconds(0.001015726),
                TotalTime = TimeSpan.FromSeconds(0.004533721),
            }, tap.Usage);
            Assert.Equal("openai/gpt-oss-20b", tap.Model);
            Assert.Equal("req_01kztr8bqme32rx8ttyjtpk0nw", tap.RequestId);
            Assert.Equal("length", tap.FinishReason);
            Assert.Equal(0, tap.ContentChunks);
            Assert.True(tap.Done);
            Assert.True(results[^1].Done);
            Assert.Equal(InspectionTestData.Bytes("stream-include-usage.sse").Length, results[^1].PassThrough);
        }
    }

    [Fact]
    public void Feed_2024FinishChunkWithOnlyXGroqUsage_TakesXGroqUsage()
    {
        using GroqStreamTap tap = FeedAll(InspectionTestData.Bytes("stream-2024.sse")).Tap;

        Assert.Equal(18, tap.Usage?.PromptTokens);
        Assert.Equal(439, tap.Usage?.CompletionTokens);
        Assert.Equal(457, tap.Usage?.TotalTokens);
        Assert.Equal("tool_calls", tap.FinishReason);
        Assert.Equal("req_01jadadp0femyae9kav1gpkhe8", tap.RequestId);
        Assert.True(tap.Done);
    }

    [Fact]
    public void Feed_ReasoningStream_CountsReasoningChunkAndReasoningTokens()
    {
        (GroqStreamTap tap, List<GroqTapResult> results) = FeedAll(InspectionTestData.Bytes("stream-reasoning.sse"));
        using (tap)
        {
            Assert.Equal(1, tap.ContentChunks);
            Assert.True(results[0].FirstContent);
            Assert.Equal(119, tap.Usage?.ReasoningTokens);
            Assert.Equal(336, tap.Usage?.PromptTokens);
            Assert.Equal(string.Empty, tap.DecodeText());
        }
    }

    [Fact]
    public void Feed_ToolCallStream_CountsToolCallAsContent()
    {
        using GroqStreamTap tap = FeedAll(InspectionTestData.Bytes("stream-tool-call.sse")).Tap;

        Assert.Equal(1, tap.ContentChunks);
        Assert.Equal("tool_calls", tap.FinishReason);
        Assert.Equal(210, tap.Usage?.PromptTokens);
        Assert.Equal("llama-3.3-70b-versatile", tap.Model);
        Assert.True(tap.Done);
    }

    [Fact]
    public void Feed_ErrorEventAfterText_StopsBeforeTheErrorFrame()
    {
        byte[] stream = InspectionTestData.Bytes("stream-error-event.sse");
        using var tap = new GroqStreamTap();

        GroqTapResult result = tap.Feed(stream);

        Assert.True(result.Error);
        Assert.Equal(Encoding.UTF8.GetString(stream).IndexOf("event: error", StringComparison.Ordinal), result.PassThrough);
        Assert.Equal(GroqStreamErrorKind.ErrorEvent, tap.ErrorKind);
        Assert.Contains("tool_use_failed", Encoding.UTF8.GetString(tap.ErrorJson), StringComparison.Ordinal);
        Assert.Equal("maybe", tap.DecodeText());
        Assert.False(tap.Done);
    }

    [Fact]
    public void Feed_DataOnlyErrorFrame_IsAnError()
    {
        string stream = InspectionTestData.ContentChunk("Hel") + "data: {\"error\":{\"message\":\"over capacity\",\"type\":\"internal_server_error\",\"status_code\":503}}\n\n";
        using var tap = new GroqStreamTap();
        tap.Feed(Encoding.UTF8.GetBytes(InspectionTestData.FirstChunk()));

        GroqTapResult result = tap.Feed(Encoding.UTF8.GetBytes(stream));

        Assert.True(result.Error);
        Assert.Equal(GroqStreamErrorKind.ErrorData, tap.ErrorKind);
        Assert.Equal(InspectionTestData.ContentChunk("Hel").Length, result.PassThrough);
        Assert.Equal("Hel", tap.DecodeText());
    }

    [Fact]
    public void Feed_XGroqError_IsAnErrorAndItsChunkTextIsNotCounted()
    {
        string chunk = "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lost\"},\"finish_reason\":null}],\"x_groq\":{\"id\":\"req_1\",\"error\":\"stream stopped: capacity\"}}\n\n";
        using var tap = new GroqStreamTap();
        tap.Feed(Encoding.UTF8.GetBytes(InspectionTestData.FirstChunk("m") + InspectionTestData.ContentChunk("kept", "m")));

        GroqTapResult result = tap.Feed(Encoding.UTF8.GetBytes(chunk));

        Assert.True(result.Error);
        Assert.Equal(0, result.PassThrough);
        Assert.Equal(GroqStreamErrorKind.XGroqError, tap.ErrorKind);
        Assert.Equal("stream stopped: capacity", tap.XGroqError);
        Assert.Equal("kept", tap.DecodeText());
    }

    [Fact]
    public void Feed_FalsyErrorField_IsNotAnError()
    {
        using var tap = new GroqStreamTap();

        GroqTapResult result = tap.Feed("data: {\"error\":null,\"choices\":[]}\n\ndata: {\"error\":{}}\n\n"u8);

        Assert.False(result.Error);
        Assert.Equal(GroqStreamErrorKind.None, tap.ErrorKind);
    }

    [Fact]
    public void Feed_TopLevelUsageDiffersFromXGroqUsage_TopLevelWins()
    {
        string chunk = "data: {\"model\":\"m\",\"choices\":[],\"x_groq\":{\"id\":\"r\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}},\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6,\"total_tokens\":11}}\n\n"
            + "data: {\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":99,\"completion_tokens\":99,\"total_tokens\":198}}\n\n";
        using var tap = new GroqStreamTap();

        tap.Feed(Encoding.UTF8.GetBytes(chunk));

        Assert.Equal(new GroqUsage(5, 6, 11), tap.Usage);
    }

    [Fact]
    public void Feed_XGroqUsageWithCacheStatsOnly_IsNotUsage()
    {
        using var tap = new GroqStreamTap();

        tap.Feed("data: {\"model\":\"m\",\"choices\":[],\"x_groq\":{\"id\":\"r\",\"usage\":{\"dram_cached_tokens\":3,\"sram_cached_tokens\":4}}}\n\n"u8);

        Assert.Null(tap.Usage);
    }

    [Fact]
    public void Feed_CachedTokensDetails_AreRead()
    {
        using var tap = new GroqStreamTap();

        tap.Feed("data: {\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":4641,\"completion_tokens\":2,\"total_tokens\":4643,\"prompt_tokens_details\":{\"cached_tokens\":4608}}}\n\n"u8);

        Assert.Equal(4608, tap.Usage?.CachedTokens);
    }

    [Fact]
    public void DecodeText_EscapesAndSurrogatePairsSplitAcrossChunks_AreDecoded()
    {
        string stream = InspectionTestData.FirstChunk("m") + InspectionTestData.ContentChunk("Say \\\"hi\\\"\\n", "m")
            + InspectionTestData.ContentChunk("\\ud83e", "m") + InspectionTestData.ContentChunk("\\uddea caf\u00e9 \\\\", "m");
        using var tap = new GroqStreamTap();

        tap.Feed(Encoding.UTF8.GetBytes(stream));

        Assert.Equal("Say \"hi\"\n\U0001F9EA café \\", tap.DecodeText());
        Assert.Equal(3, tap.ContentChunks);
    }

    [Fact]
    public void Feed_FastPathAndFullParse_AgreeOnOddlyShapedDeltas()
    {
        string[] deltas =
        [
            "{\"content\":\"a\"}", "{\"content\":\"\"}", "{\"role\":\"assistant\",\"content\":\"b\"}", "{\"reasoning\":\"r\",\"channel\":\"analysis\"}",
            "{}", "{\"content\":null}", "{ \"content\" : \"c\" }", "{\"tool_calls\":[]}", "{\"tool_calls\":[{\"index\":0,\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}",
            "{\"content\":\"d\\\\\"}", "{\"content\":\"\\\"}\\\"\"}",
        ];
        foreach (string delta in deltas)
        {
            string chunk = $"data: {{\"id\":\"c\",\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":null}}]}}\n\n";
            using var warm = new GroqStreamTap();
            warm.Feed(Encoding.UTF8.GetBytes(InspectionTestData.FirstChunk("m")));
            warm.Feed(Encoding.UTF8.GetBytes(chunk));

            // A tap that has not seen a model yet reads every chunk fully.
            using var cold = new GroqStreamTap();
            cold.Feed(Encoding.UTF8.GetBytes(chunk));

            Assert.Equal(cold.ContentChunks, warm.ContentChunks);
            Assert.Equal(cold.DecodeText(), warm.DecodeText());
        }
    }

    [Fact]
    public void Feed_AfterDone_PassesEverythingThrough()
    {
        using var tap = new GroqStreamTap();
        tap.Feed(Encoding.UTF8.GetBytes(InspectionTestData.Done));

        GroqTapResult result = tap.Feed("event: error\ndata: {\"error\":{\"message\":\"x\"}}\n\n"u8);

        Assert.False(result.Error);
        Assert.Equal("event: error\ndata: {\"error\":{\"message\":\"x\"}}\n\n"u8.Length, result.PassThrough);
    }

    [Fact]
    public void Feed_AnyByteSplitOfAStream_GivesTheSameOutcome()
    {
        byte[] stream = Encoding.UTF8.GetBytes(InspectionTestData.FirstChunk("m") + InspectionTestData.ContentChunk("H\\u00e9llo ", "m")
            + InspectionTestData.ContentChunk("w\u00f6rld \U0001F9EA", "m") + "data: {\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0}]}}]}\n\n"
            + InspectionTestData.FinishChunk(40, 3, "m") + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":3,\"total_tokens\":43}}\n\n" + InspectionTestData.Done);
        using GroqStreamTap whole = FeedAll(stream).Tap;
        Assert.Equal(3, whole.ContentChunks);
        Assert.Equal("Héllo wörld \U0001F9EA", whole.DecodeText());

        Gen.Int[1, stream.Length - 1].Array[0, 16].Sample(cuts =>
        {
            (GroqStreamTap tap, List<GroqTapResult> results) = FeedAll(stream, [.. cuts.Distinct().Order()]);
            using (tap)
            {
                Assert.Equal(whole.Usage, tap.Usage);
                Assert.Equal(whole.ContentChunks, tap.ContentChunks);
                Assert.Equal(whole.DecodeText(), tap.DecodeText());
                Assert.Equal(whole.FinishReason, tap.FinishReason);
                Assert.Equal(whole.RequestId, tap.RequestId);
                Assert.True(tap.Done);
                Assert.Equal(1, results.Count(r => r.FirstContent));
                Assert.Equal(1, results.Count(r => r.Done));
                Assert.Equal(stream.Length, results.Sum(r => r.PassThrough));
            }
        });
    }

    [Fact]
    public void Feed_AnyByteSplitOfAnErrorStream_StopsAtTheErrorWithTheSameText()
    {
        byte[] stream = InspectionTestData.Bytes("stream-error-event.sse");
        int errorAt = Encoding.UTF8.GetString(stream).IndexOf("event: error", StringComparison.Ordinal);

        Gen.Int[1, stream.Length - 1].Array[0, 8].Sample(cuts =>
        {
            (GroqStreamTap tap, List<GroqTapResult> results) = FeedAll(stream, [.. cuts.Distinct().Order()]);
            using (tap)
            {
                Assert.Equal(GroqStreamErrorKind.ErrorEvent, tap.ErrorKind);
                Assert.Equal("maybe", tap.DecodeText());

                // Bytes of the error frame never pass, except those already handed on before the frame was recognisable.
                int passedBeforeError = results.TakeWhile(r => !r.Error).Sum(r => r.PassThrough) + results.First(r => r.Error).PassThrough;
                Assert.True(passedBeforeError <= Math.Max(errorAt, results.TakeWhile(r => !r.Error).Sum(r => r.PassThrough)));
            }
        });
    }

    [Fact]
    public void Model_NamedAsRequested_IsTheRequestsString_OtherwiseTheChunks()
    {
        string requested = string.Concat("model", "-a".AsSpan());
        using var same = new GroqStreamTap(requested);
        same.Feed("data: {\"model\":\"model-a\",\"choices\":[]}\n\n"u8);
        using var other = new GroqStreamTap(requested);
        other.Feed("data: {\"model\":\"model-b\",\"choices\":[]}\n\n"u8);

        Assert.Same(requested, same.Model);
        Assert.Equal("model-b", other.Model);
    }
}
