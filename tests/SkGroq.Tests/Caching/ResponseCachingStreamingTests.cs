using System.Text;
using System.Text.Json;
using SkGroq.Errors;
using SkGroq.Inspection.Sse;
using SkGroq.Tests.Inspection;
using SkGroq.Usage;

namespace SkGroq.Tests.Caching;

public sealed class ResponseCachingStreamingTests
{
    [Fact]
    public async Task SendAsync_StreamingHit_ReplaysTheChunksByteForByte()
    {
        using var harness = new CachingHarness();
        byte[] recorded = InspectionTestData.Bytes("stream-include-usage.sse");
        harness.ReplyStream(Encoding.UTF8.GetString(recorded));
        string body = CachingHarness.Body(stream: true, includeUsage: true);

        (_, byte[] first) = await harness.ExchangeAsync(body);
        (HttpResponseMessage hit, byte[] replayed) = await harness.ExchangeAsync(body);

        Assert.Equal(recorded, first);
        Assert.Equal(recorded, replayed);
        Assert.Equal("hit", CachingHarness.CacheHeader(hit));
        Assert.Equal("text/event-stream", hit.Content.Headers.ContentType?.MediaType);
        Assert.Single(harness.Stub.Requests);
    }

    [Fact]
    public async Task SendAsync_StreamingHit_RecordedWithTheOriginalsUsageAsSaved()
    {
        using var harness = new CachingHarness();
        harness.ReplyStream();
        string body = CachingHarness.Body(stream: true);

        await harness.ExchangeAsync(body);
        await harness.ExchangeAsync(body);

        UsageRecord hit = harness.Ledger.Records[^1];
        Assert.True(hit.CacheHit);
        Assert.True(hit.Streaming);
        Assert.Equal(UsageOutcome.Ok, hit.Outcome);
        Assert.Equal(51, hit.TokensSaved);
        Assert.Equal(0, hit.BilledPromptTokens + hit.BilledCompletionTokens);
        Assert.Equal("stop", hit.FinishReason);
    }

    [Fact]
    public async Task SendAsync_StreamingHit_RecordCarriesTheOriginalsRequestIdModelAndChunks()
    {
        using var harness = new CachingHarness();
        harness.ReplyStream();
        string body = CachingHarness.Body(stream: true);

        await harness.ExchangeAsync(body);
        await harness.ExchangeAsync(body);

        (UsageRecord original, UsageRecord hit) = (harness.Ledger.Records[0], harness.Ledger.Records[^1]);
        Assert.Equal((false, true), (original.CacheHit, hit.CacheHit));
        Assert.NotNull(original.RequestId);
        Assert.Equal((original.RequestId, original.ModelAnswered, original.CompletionChunks), (hit.RequestId, hit.ModelAnswered, hit.CompletionChunks));
        Assert.True(hit.CompletionChunks > 0);
        Assert.NotNull(hit.TimeToFirstToken);
    }

    [Fact]
    public async Task SendAsync_StreamingHitLeftMidReplay_RecordedIncompleteWithWhatItsReaderReceived()
    {
        using var harness = new CachingHarness(o => o.Cache.ReplayChunkInterval = TimeSpan.FromMilliseconds(200));

        // The reader takes the first frame (the role) and the first content, then leaves.
        (HttpResponseMessage hit, Stream stream) = await PacedHitAfterFirstFrameAsync(harness);
        byte[] buffer = new byte[8192];
        ValueTask<int> content = stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        harness.Time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Contains("Hello", Encoding.UTF8.GetString(buffer, 0, await content), StringComparison.Ordinal);
        Assert.Single(harness.Ledger.Records);
        hit.Dispose();

        UsageRecord record = harness.Ledger.Records[^1];
        Assert.Equal((true, UsageOutcome.Incomplete, "abandoned"), (record.CacheHit, record.Outcome, record.ErrorKind));
        Assert.Equal(1, record.CompletionChunks);
        Assert.Null(record.Usage);
        Assert.Null(record.FinishReason);
    }

    [Fact]
    public async Task SendAsync_StreamingHitReadCancelled_RecordedCancelled()
    {
        using var harness = new CachingHarness(o => o.Cache.ReplayChunkInterval = TimeSpan.FromMilliseconds(200));
        (HttpResponseMessage hit, Stream stream) = await PacedHitAfterFirstFrameAsync(harness);
        using HttpResponseMessage response = hit;
        using var stop = new CancellationTokenSource();
        ValueTask<int> waiting = stream.ReadAsync(new byte[8192], stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        UsageRecord record = harness.Ledger.Records[^1];
        Assert.Equal((true, UsageOutcome.Incomplete, "cancelled", 0), (record.CacheHit, record.Outcome, record.ErrorKind, record.CompletionChunks));
    }

    [Fact]
    public async Task SendAsync_StreamingHitWithoutIncludeUsage_SameChunksWithoutTheUsageOnlyOne()
    {
        using var harness = new CachingHarness();
        string recorded = InspectionTestData.Text("stream-include-usage.sse");
        harness.ReplyStream(recorded);
        await harness.ExchangeAsync(CachingHarness.Body(stream: true, includeUsage: true));

        (_, byte[] replayed) = await harness.ExchangeAsync(CachingHarness.Body(stream: true));

        List<ReadOnlyMemory<byte>> payloads = SkGroq.Tests.Caching.CachingTestData.Payloads(recorded);
        Assert.Equal(SkGroq.Tests.Caching.CachingTestData.Frame(payloads.Take(2)), Encoding.UTF8.GetString(replayed));
    }

    [Fact]
    public async Task SendAsync_StoredJsonThenStreamingRequest_ConvertedToChunks()
    {
        using var harness = new CachingHarness();
        harness.ReplyJson(CachingHarness.Completion("Four."));
        await harness.ExchangeAsync(CachingHarness.Question);

        (HttpResponseMessage response, byte[] sse) = await harness.ExchangeAsync(CachingHarness.Body(stream: true, includeUsage: true));
        using var tap = new GroqStreamTap();
        GroqTapResult result = tap.Feed(sse);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(result.Done);
        Assert.Equal("Four.", tap.DecodeText());
        Assert.Equal(35, tap.Usage?.TotalTokens);
        Assert.Equal("stop", tap.FinishReason);
        Assert.Single(harness.Stub.Requests);
        Assert.Equal(35, harness.Ledger.Records[^1].TokensSaved);
    }

    [Fact]
    public async Task SendAsync_StoredStreamThenJsonRequest_ConvertedToOneCompletion()
    {
        using var harness = new CachingHarness();
        harness.ReplyStream();
        await harness.ExchangeAsync(CachingHarness.Body(stream: true));

        (HttpResponseMessage response, byte[] json) = await harness.ExchangeAsync(CachingHarness.Question);
        using JsonDocument document = JsonDocument.Parse(json);

        Assert.Equal("hit", CachingHarness.CacheHeader(response));
        Assert.Equal("Hello world", document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(51, document.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(51, harness.Ledger.Records[^1].TokensSaved);
        Assert.Single(harness.Stub.Requests);
    }

    [Fact]
    public async Task SendAsync_StreamCutBeforeDone_NotStored()
    {
        using var harness = new CachingHarness();
        harness.ReplyStream(InspectionTestData.FirstChunk(CachingHarness.Model) + InspectionTestData.ContentChunk("Hel", CachingHarness.Model)).ReplyStream();
        string body = CachingHarness.Body(stream: true);

        await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => harness.ExchangeAsync(body));
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(body);

        Assert.Null(CachingHarness.CacheHeader(second));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_StreamWithAnErrorFrame_NotStored()
    {
        using var harness = new CachingHarness();
        harness.ReplyStream(InspectionTestData.Text("stream-error-event.sse")).ReplyStream();
        string body = CachingHarness.Body(stream: true);

        await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => harness.ExchangeAsync(body));
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(body);

        Assert.Null(CachingHarness.CacheHeader(second));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_StreamAbandonedBeforeDone_NotStored()
    {
        using var harness = new CachingHarness();
        var network = ScriptedStream.Of(InspectionTestData.FirstChunk(CachingHarness.Model));
        harness.Stub.Reply((request, _) => Task.FromResult(CachingHarness.SseResponse(request, network)));
        harness.ReplyStream();
        string body = CachingHarness.Body(stream: true);

        HttpResponseMessage first = await harness.SendAsync(body);
        Stream stream = await first.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        Assert.True(await stream.ReadAsync(new byte[4096], TestContext.Current.CancellationToken) > 0);
        first.Dispose();
        (HttpResponseMessage second, _) = await harness.ExchangeAsync(body);

        Assert.Null(CachingHarness.CacheHeader(second));
        Assert.Equal(2, harness.Stub.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_StoringAStream_HandsEachChunkOnAsItArrives()
    {
        using var harness = new CachingHarness();
        var network = new ScriptedStream();
        harness.Stub.Reply((request, _) => Task.FromResult(CachingHarness.SseResponse(request, network)));
        string body = CachingHarness.Body(stream: true);

        HttpResponseMessage response = await harness.SendAsync(body);
        Stream stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        byte[] buffer = new byte[8192];
        string firstChunk = InspectionTestData.FirstChunk(CachingHarness.Model);
        network.Send(firstChunk);
        int read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);

        // The first chunk reached the reader while Groq has not sent the rest: nothing is held back for the cache.
        Assert.Equal(firstChunk, Encoding.UTF8.GetString(buffer, 0, read));
        network.Send(InspectionTestData.ContentChunk("Hi", CachingHarness.Model) + InspectionTestData.FinishChunk(48, 2, CachingHarness.Model) + InspectionTestData.Done).End();
        var rest = new MemoryStream();
        await stream.CopyToAsync(rest, TestContext.Current.CancellationToken);
        (HttpResponseMessage hit, _) = await harness.ExchangeAsync(body);

        Assert.Equal("hit", CachingHarness.CacheHeader(hit));
    }

    [Fact]
    public async Task SendAsync_PacedReplay_OneFramePerIntervalOfTheClock()
    {
        using var harness = new CachingHarness(o => o.Cache.ReplayChunkInterval = TimeSpan.FromMilliseconds(200));
        harness.ReplyStream();
        string body = CachingHarness.Body(stream: true);
        (_, byte[] original) = await harness.ExchangeAsync(body);

        HttpResponseMessage hit = await harness.SendAsync(body);
        Stream stream = await hit.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        byte[] buffer = new byte[8192];
        var received = new MemoryStream();
        int first = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
        received.Write(buffer, 0, first);
        ValueTask<int> second = stream.ReadAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal(InspectionTestData.FirstChunk(CachingHarness.Model), Encoding.UTF8.GetString(buffer, 0, first));
        Assert.False(second.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(second.IsCompleted);
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        int secondCount = await second;
        received.Write(buffer, 0, secondCount);
        Assert.Equal(InspectionTestData.ContentChunk("Hello", CachingHarness.Model), Encoding.UTF8.GetString(buffer, 0, secondCount));

        while (true)
        {
            ValueTask<int> next = stream.ReadAsync(buffer, TestContext.Current.CancellationToken);
            harness.Time.Advance(TimeSpan.FromMilliseconds(200));
            int count = await next;
            if (count == 0)
            {
                break;
            }

            received.Write(buffer, 0, count);
        }

        Assert.Equal(original, received.ToArray());
    }

    /// <summary>Stores a streamed answer, asks again, and reads the hit's first frame.</summary>
    private static async Task<(HttpResponseMessage Hit, Stream Stream)> PacedHitAfterFirstFrameAsync(CachingHarness harness)
    {
        harness.ReplyStream();
        string body = CachingHarness.Body(stream: true);
        await harness.ExchangeAsync(body);
        HttpResponseMessage hit = await harness.SendAsync(body);
        Stream stream = await hit.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        Assert.True(await stream.ReadAsync(new byte[8192], TestContext.Current.CancellationToken) > 0);
        return (hit, stream);
    }
}
