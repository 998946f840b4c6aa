using System.Net.ServerSentEvents;
using System.Text;
using CsCheck;
using SkGroq.Errors;
using SkGroq.Http;

namespace SkGroq.Tests.Inspection;

public sealed class GroqSseStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpResponseMessage Response, Stream Body, ResponseObservation Observation)> StartAsync(PipelineHarness harness, ScriptedStream network)
    {
        harness.Stub.ReplyStream(network, r => r.Headers.Add("x-request-id", "req_header"));
        HttpResponseMessage response = await harness.Invoker.SendAsync(PipelineHarness.Chat(), Ct);
        ResponseObservation observation = Assert.IsType<ResponseObservation>(PipelineHarness.Observed(response));
        Stream body = await response.Content.ReadAsStreamAsync(Ct);
        return (response, body, observation);
    }

    private static Task<string> ReadOnceAsync(Stream body) => ReadCancellableAsync(body, Ct);

    private static async Task<string> ReadCancellableAsync(Stream body, CancellationToken token)
    {
        byte[] buffer = new byte[64 * 1024];
        int read = await body.ReadAsync(buffer, token);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    [Fact]
    public async Task Read_WholeStream_PassesEveryByteAndCompletesWithUsage()
    {
        using var harness = new PipelineHarness();
        string stream = InspectionTestData.Stream("openai/gpt-oss-120b", 12, 3, "Hel", "lo");
        (HttpResponseMessage response, _, ResponseObservation observation) = await StartAsync(harness, ScriptedStream.Of(stream).End());
        using (response)
        {
            Assert.True(observation.Streaming);
            Assert.Equal("req_header", observation.RequestId);
            Assert.Equal(stream, await PipelineHarness.ReadAllAsync(response, bufferSize: 7));

            ResponseOutcome outcome = await observation.Completion;
            Assert.Equal(ResponseEndKind.Completed, outcome.Kind);
            Assert.Equal(12, outcome.Usage?.PromptTokens);
            Assert.Equal(3, outcome.Usage?.CompletionTokens);
            Assert.Equal(2, outcome.ContentChunks);
            Assert.Equal("stop", outcome.FinishReason);
            Assert.Equal("req_01kztr8bqme32rx8ttyjtpk0nw", outcome.RequestId);
            Assert.NotNull(outcome.FirstTokenTimestamp);
            Assert.Null(outcome.Error);
        }
    }

    [Fact]
    public async Task Read_ChunkArrives_ReturnedAtOnceWithoutWaitingForMore()
    {
        using var harness = new PipelineHarness();
        var network = new ScriptedStream();
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            network.Send(InspectionTestData.FirstChunk());
            Assert.Equal(InspectionTestData.FirstChunk(), await ReadOnceAsync(body));
            long before = harness.Time.GetTimestamp();
            harness.Time.Advance(TimeSpan.FromMilliseconds(250));
            network.Send(InspectionTestData.ContentChunk("Hi"));
            Assert.Equal(InspectionTestData.ContentChunk("Hi"), await ReadOnceAsync(body));
            Assert.False(observation.Completion.IsCompleted);

            network.Send(InspectionTestData.FinishChunk(1, 1) + InspectionTestData.Done);
            await ReadOnceAsync(body);
            ResponseOutcome outcome = await observation.Completion;
            Assert.Equal(ResponseEndKind.Completed, outcome.Kind);
            Assert.Equal(before + harness.Time.TimestampFrequency / 4, outcome.FirstTokenTimestamp);
        }
    }

    [Fact]
    public async Task Read_ErrorEventAfterText_ThrowsTypedErrorWithPartialTextAndNeverPassesTheFrame()
    {
        using var harness = new PipelineHarness();
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, ScriptedStream.Of(InspectionTestData.Text("stream-error-event.sse")).End());
        using (response)
        {
            string passed = await ReadOnceAsync(body);
            Assert.DoesNotContain("event: error", passed, StringComparison.Ordinal);
            Assert.Contains("maybe", passed, StringComparison.Ordinal);

            GroqStreamInterruptedException error = await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => ReadOnceAsync(body));
            Assert.Equal("maybe", error.PartialText);
            Assert.Equal("tool_use_failed", error.ErrorCode);
            Assert.Equal(400, error.StatusCode);
            Assert.Equal(string.Empty, error.FailedGeneration);
            Assert.Equal("Tool choice is required, but model did not call a tool", error.Details.ServerMessage);
            Assert.Equal("openai/gpt-oss-120b", error.Model);

            ResponseOutcome outcome = await observation.Completion;
            Assert.Equal(ResponseEndKind.Failed, outcome.Kind);
            Assert.Same(error, outcome.Error);
            Assert.Equal(1, outcome.ContentChunks);

            // Every later read repeats the failure instead of reading on.
            await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => ReadOnceAsync(body));
        }
    }

    [Fact]
    public async Task Read_ErrorFrameAtStartOfRead_ThrowsAtOnce()
    {
        using var harness = new PipelineHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk(), "data: {\"error\":{\"message\":\"llama is over capacity\",\"type\":\"internal_server_error\",\"code\":\"over_capacity\",\"status_code\":503}}\n\n");
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);

            GroqStreamInterruptedException error = await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => ReadOnceAsync(body));
            Assert.Equal(503, error.StatusCode);
            Assert.Equal("over_capacity", error.ErrorCode);
            Assert.Equal(string.Empty, error.PartialText);
            Assert.Contains("usually temporary", error.Message, StringComparison.Ordinal);
            Assert.Equal(ResponseEndKind.Failed, (await observation.Completion).Kind);
        }
    }

    [Fact]
    public async Task Read_XGroqError_ThrowsWithGroqsReason()
    {
        using var harness = new PipelineHarness();
        var network = ScriptedStream.Of(
            InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("par")
            + "data: {\"id\":\"c\",\"model\":\"openai/gpt-oss-120b\",\"choices\":[],\"x_groq\":{\"id\":\"req_01kztr8bqme32rx8ttyjtpk0nw\",\"error\":\"stream stopped early: capacity\"}}\n\n");
        (HttpResponseMessage response, Stream body, _) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);

            GroqStreamInterruptedException error = await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => ReadOnceAsync(body));
            Assert.Equal("par", error.PartialText);
            Assert.Equal("stream stopped early: capacity", error.Details.ServerMessage);
            Assert.Equal("req_01kztr8bqme32rx8ttyjtpk0nw", error.RequestId);
        }
    }

    [Fact]
    public async Task Read_SilentLongerThanIdleTimeout_ThrowsStreamIdleTimeoutWithPartialText()
    {
        using var harness = new PipelineHarness(o => o.Inspection.StreamIdleTimeout = TimeSpan.FromSeconds(10));
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("half an ans"));
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);
            Task started = network.ReadStarted.Task;
            Task<string> stalled = ReadOnceAsync(body);
            await started;
            harness.Time.Advance(TimeSpan.FromSeconds(9));
            Assert.False(stalled.IsCompleted);
            harness.Time.Advance(TimeSpan.FromSeconds(1));

            GroqTimeoutException error = await Assert.ThrowsAsync<GroqTimeoutException>(() => stalled);
            Assert.Equal(GroqTimeoutKind.StreamIdle, error.TimeoutKind);
            Assert.Equal("half an ans", error.PartialText);
            Assert.Equal(TimeSpan.FromSeconds(10), error.Timeout);
            Assert.Contains("StreamIdleTimeout", error.Message, StringComparison.Ordinal);
            Assert.Equal(ResponseEndKind.Failed, (await observation.Completion).Kind);
        }
    }

    [Fact]
    public async Task Read_CallerPausesLongerThanIdleTimeout_IsNotAStall()
    {
        using var harness = new PipelineHarness(o => o.Inspection.StreamIdleTimeout = TimeSpan.FromSeconds(10));
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk());
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);

            // Nobody is reading: the time is the caller's, not Groq's silence.
            harness.Time.Advance(TimeSpan.FromSeconds(25));
            network.Send(InspectionTestData.ContentChunk("ok"));
            Task<string> read = ReadOnceAsync(body);
            harness.Time.Advance(TimeSpan.FromSeconds(9));

            Assert.Equal(InspectionTestData.ContentChunk("ok"), await read);
            Assert.False(observation.Completion.IsCompleted);
        }
    }

    [Fact]
    public async Task Read_ConnectionBreaksMidStream_ThrowsStreamInterruptedWithPartialText()
    {
        using var harness = new PipelineHarness();
        var reset = new IOException("Unable to read data from the transport connection: Connection reset by peer.");
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("Once upon")).Fail(reset);
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);

            GroqStreamInterruptedException error = await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => ReadOnceAsync(body));
            Assert.Equal("Once upon", error.PartialText);
            Assert.Same(reset, error.InnerException);
            Assert.Contains("connection", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(ResponseEndKind.Failed, (await observation.Completion).Kind);
        }
    }

    [Fact]
    public async Task Read_StreamEndsWithoutDone_ThrowsCutOffAndFails()
    {
        using var harness = new PipelineHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("The end is")).End();
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);

            GroqStreamInterruptedException error = await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => ReadOnceAsync(body));
            Assert.Contains("cut off", error.Message, StringComparison.Ordinal);
            Assert.Equal("The end is", error.PartialText);
            ResponseOutcome outcome = await observation.Completion;
            Assert.Equal(ResponseEndKind.Failed, outcome.Kind);
            Assert.Same(error, outcome.Error);
        }
    }

    [Fact]
    public async Task Dispose_BeforeTheEnd_AbandonsOnceAndClosesTheConnection()
    {
        using var harness = new PipelineHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk() + InspectionTestData.ContentChunk("a"));
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        await ReadOnceAsync(body);

        response.Dispose();
        response.Dispose();

        ResponseOutcome outcome = await observation.Completion;
        Assert.Equal(ResponseEndKind.Abandoned, outcome.Kind);
        Assert.Equal(1, outcome.ContentChunks);
        Assert.True(network.Disposed);
    }

    [Fact]
    public async Task Read_CallerCancels_OperationCanceledWithCallersTokenAndCancelledOutcome()
    {
        using var harness = new PipelineHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk());
        (HttpResponseMessage response, Stream body, ResponseObservation observation) = await StartAsync(harness, network);
        using (response)
        {
            await ReadOnceAsync(body);
            using var cts = new CancellationTokenSource();
            Task started = network.ReadStarted.Task;
            Task<string> read = ReadCancellableAsync(body, cts.Token);
            await started;
            await cts.CancelAsync();

            OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
            Assert.Equal(cts.Token, error.CancellationToken);
            Assert.Equal(ResponseEndKind.Cancelled, (await observation.Completion).Kind);
        }
    }

    [Fact]
    public async Task Read_ThroughTheSdksSseParser_ErrorFrameNeverReachesIt()
    {
        using var harness = new PipelineHarness();
        (HttpResponseMessage response, Stream body, _) = await StartAsync(harness, ScriptedStream.Of(InspectionTestData.Text("stream-error-event.sse")).End());
        using (response)
        {
            var seen = new List<string>();
            await Assert.ThrowsAsync<GroqStreamInterruptedException>(async () =>
            {
                await foreach (SseItem<string> item in SseParser.Create(body).EnumerateAsync(Ct))
                {
                    seen.Add(item.EventType);
                }
            });

            Assert.Equal(["message"], seen);
        }
    }

    [Fact]
    public async Task Read_AnySplitOfTheNetworkPieces_GivesTheSameOutcome()
    {
        string stream = InspectionTestData.Stream("openai/gpt-oss-20b", 75, 4, "Hi", " th\\u00e9re", "!")
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":75,\"completion_tokens\":4,\"total_tokens\":79}}\n\n";
        byte[] bytes = Encoding.UTF8.GetBytes(stream);

        await Gen.Int[1, bytes.Length - 1].Array[0, 10].SampleAsync(async cuts =>
        {
            using var harness = new PipelineHarness();
            var network = new ScriptedStream();
            int last = 0;
            foreach (int cut in cuts.Distinct().Order().Append(bytes.Length))
            {
                network.Send(bytes[last..cut]);
                last = cut;
            }

            network.End();
            (HttpResponseMessage response, _, ResponseObservation observation) = await StartAsync(harness, network);
            using (response)
            {
                Assert.Equal(stream, await PipelineHarness.ReadAllAsync(response));
                ResponseOutcome outcome = await observation.Completion;
                Assert.Equal(ResponseEndKind.Completed, outcome.Kind);
                Assert.Equal(new SkGroq.Usage.GroqUsage(75, 4, 79), outcome.Usage! with { QueueTime = null, PromptTime = null, CompletionTime = null, TotalTime = null });
                Assert.Equal(3, outcome.ContentChunks);
            }
        }, iter: 60);
    }
}
