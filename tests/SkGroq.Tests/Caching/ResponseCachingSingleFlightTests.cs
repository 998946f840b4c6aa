using System.Net;
using System.Text;
using System.Text.Json;
using SkGroq.Errors;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

/// <summary>Concurrent identical misses send one upstream request; the others wait for it, and never hang or fail with it.</summary>
public sealed class ResponseCachingSingleFlightTests
{
    private static readonly string s_key = CachingHarness.Key(CachingHarness.Question);

    [Fact]
    public async Task SendAsync_TenConcurrentIdenticalRequests_OneUpstreamCall()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new CountingUpstream(async (_, request, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CachingHarness.JsonResponse(request);
        });
        using var harness = new CachingHarness(upstream: upstream);

        Task<(HttpResponseMessage, byte[])> leader = harness.ExchangeAsync(CachingHarness.Question);
        await upstream.FirstCall.Task.WaitAsync(TestContext.Current.CancellationToken);
        Task<(HttpResponseMessage, byte[])>[] followers = [.. Enumerable.Range(0, 9).Select(_ => harness.ExchangeAsync(CachingHarness.Question))];
        await FollowersJoinedAsync(harness, 9);
        release.SetResult();
        (HttpResponseMessage Response, byte[] Body)[] results = await Task.WhenAll([leader, .. followers]);

        Assert.Equal(1, upstream.Calls);
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.All(results, r => Assert.Equal(CachingHarness.Completion(), Encoding.UTF8.GetString(r.Body)));
        Assert.Equal(9, results.Count(r => CachingHarness.CacheHeader(r.Response) == "hit"));
        Assert.Equal((9L, 9L, 1L), (harness.Cache.GetStatistics().Hits, harness.Cache.GetStatistics().Coalesced, harness.Cache.GetStatistics().Misses));
        Assert.Equal(9, harness.Ledger.Records.Count(r => r.CacheHit));
    }

    [Fact]
    public async Task SendAsync_StreamingLeader_FollowersGetTheAnswerWhenTheStreamEnds()
    {
        var network = new ScriptedStream();
        var upstream = new CountingUpstream((_, request, _) => Task.FromResult(CachingHarness.SseResponse(request, network)));
        using var harness = new CachingHarness(upstream: upstream);
        string streaming = CachingHarness.Body(stream: true);

        HttpResponseMessage leader = await harness.SendAsync(streaming);
        Stream leaderStream = await leader.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        network.Send(InspectionTestData.FirstChunk(CachingHarness.Model));
        byte[] buffer = new byte[8192];
        var leaderBytes = new MemoryStream();
        leaderBytes.Write(buffer, 0, await leaderStream.ReadAsync(buffer, TestContext.Current.CancellationToken));
        Task<(HttpResponseMessage, byte[])> streamingFollower = harness.ExchangeAsync(streaming);
        Task<(HttpResponseMessage, byte[])> jsonFollower = harness.ExchangeAsync(CachingHarness.Question);
        await FollowersJoinedAsync(harness, 2, CachingHarness.Key(streaming));

        Assert.False(streamingFollower.IsCompleted);
        Assert.False(jsonFollower.IsCompleted);
        network.Send(InspectionTestData.ContentChunk("Hi", CachingHarness.Model) + InspectionTestData.FinishChunk(48, 2, CachingHarness.Model) + InspectionTestData.Done).End();
        await leaderStream.CopyToAsync(leaderBytes, TestContext.Current.CancellationToken);
        (HttpResponseMessage _, byte[] replayed) = await streamingFollower;
        (HttpResponseMessage _, byte[] json) = await jsonFollower;

        Assert.Equal(1, upstream.Calls);
        Assert.Equal(leaderBytes.ToArray(), replayed);
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal("Hi", document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task SendAsync_LeaderFails_FollowersAskOnTheirOwn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new CountingUpstream(async (call, request, ct) =>
        {
            if (call > 1)
            {
                return CachingHarness.JsonResponse(request);
            }

            await release.Task.WaitAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"error":{"message":"bad","type":"invalid_request_error"}}""", Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
        });
        using var harness = new CachingHarness(upstream: upstream);

        Task<(HttpResponseMessage, byte[])> leader = harness.ExchangeAsync(CachingHarness.Question);
        await upstream.FirstCall.Task.WaitAsync(TestContext.Current.CancellationToken);
        Task<(HttpResponseMessage, byte[])>[] followers = [.. Enumerable.Range(0, 3).Select(_ => harness.ExchangeAsync(CachingHarness.Question))];
        await FollowersJoinedAsync(harness, 3);
        release.SetResult();

        await Assert.ThrowsAsync<GroqBadRequestException>(() => leader);
        (HttpResponseMessage Response, byte[] Body)[] results = await Task.WhenAll(followers);
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Response.StatusCode));
        Assert.Equal(4, upstream.Calls);
    }

    [Fact]
    public async Task SendAsync_LeaderCancelled_FollowersStillAnswered()
    {
        var upstream = new CountingUpstream(async (call, request, ct) =>
        {
            if (call == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, ct);
            }

            return CachingHarness.JsonResponse(request);
        });
        using var harness = new CachingHarness(upstream: upstream);
        using var leaderCancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        Task<HttpResponseMessage> leader = harness.SendCancellableAsync(CachingHarness.Question, leaderCancellation.Token);
        await upstream.FirstCall.Task.WaitAsync(TestContext.Current.CancellationToken);
        Task<(HttpResponseMessage, byte[])>[] followers = [.. Enumerable.Range(0, 2).Select(_ => harness.ExchangeAsync(CachingHarness.Question))];
        await FollowersJoinedAsync(harness, 2);
        await leaderCancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leader);
        (HttpResponseMessage Response, byte[] Body)[] results = await Task.WhenAll(followers);
        Assert.All(results, r => Assert.Equal(CachingHarness.Completion(), Encoding.UTF8.GetString(r.Body)));
    }

    [Fact]
    public async Task SendAsync_FollowerCancelled_OnlyThatFollowerStops()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new CountingUpstream(async (_, request, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return CachingHarness.JsonResponse(request);
        });
        using var harness = new CachingHarness(upstream: upstream);
        using var followerCancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        Task<(HttpResponseMessage, byte[])> leader = harness.ExchangeAsync(CachingHarness.Question);
        await upstream.FirstCall.Task.WaitAsync(TestContext.Current.CancellationToken);
        Task<HttpResponseMessage> cancelled = harness.SendCancellableAsync(CachingHarness.Question, followerCancellation.Token);
        Task<(HttpResponseMessage, byte[])> patient = harness.ExchangeAsync(CachingHarness.Question);
        await FollowersJoinedAsync(harness, 2);
        await followerCancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(leader.IsCompleted);
        Assert.False(patient.IsCompleted);
        release.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await leader).Item1.StatusCode);
        Assert.Equal("hit", CachingHarness.CacheHeader((await patient).Item1));
        Assert.Equal(1, upstream.Calls);
    }

    [Fact]
    public async Task SendAsync_LeaderSlowerThanTheSingleFlightTimeout_FollowerAsksOnItsOwn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new CountingUpstream(async (call, request, ct) =>
        {
            if (call == 1)
            {
                await release.Task.WaitAsync(ct);
            }

            return CachingHarness.JsonResponse(request, CachingHarness.Completion(call == 1 ? "slow" : "own"));
        });
        using var harness = new CachingHarness(o => o.Cache.SingleFlightTimeout = TimeSpan.FromSeconds(5), upstream: upstream);

        Task<(HttpResponseMessage, byte[])> leader = harness.ExchangeAsync(CachingHarness.Question);
        await upstream.FirstCall.Task.WaitAsync(TestContext.Current.CancellationToken);
        Task<(HttpResponseMessage, byte[])> follower = harness.ExchangeAsync(CachingHarness.Question);
        await FollowersJoinedAsync(harness, 1);
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(follower.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(1));

        (HttpResponseMessage response, byte[] body) = await follower;
        Assert.Null(CachingHarness.CacheHeader(response));
        Assert.Contains("\"own\"", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        release.SetResult();
        await leader;
        Assert.Equal(2, upstream.Calls);
    }

    [Fact]
    public async Task SendAsync_LeaderAbandonsItsStream_FollowersAskOnTheirOwn()
    {
        var network = new ScriptedStream();
        var upstream = new CountingUpstream((call, request, _) => Task.FromResult(call == 1
            ? CachingHarness.SseResponse(request, network)
            : CachingHarness.SseResponse(request, new MemoryStream(Encoding.UTF8.GetBytes(CachingHarness.StreamBody())))));
        using var harness = new CachingHarness(upstream: upstream);
        string streaming = CachingHarness.Body(stream: true);

        HttpResponseMessage leader = await harness.SendAsync(streaming);
        Task<(HttpResponseMessage, byte[])> follower = harness.ExchangeAsync(streaming);
        await FollowersJoinedAsync(harness, 1, CachingHarness.Key(streaming));
        leader.Dispose();

        (HttpResponseMessage response, byte[] body) = await follower;
        Assert.Null(CachingHarness.CacheHeader(response));
        Assert.Equal(CachingHarness.StreamBody(), Encoding.UTF8.GetString(body));
        Assert.Equal(2, upstream.Calls);
    }

    private static async Task FollowersJoinedAsync(CachingHarness harness, int count, string? key = null)
    {
        // The followers join synchronously up to their wait; yielding lets any that started on another thread get there.
        while (harness.Cache.Flights.FollowersOf(key ?? s_key) < count)
        {
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }
}
