using SkGroq.Caching;

namespace SkGroq.Tests.Caching;

public sealed class SingleFlightTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan s_maxAge = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Join_SecondCaller_FollowsAndGetsTheLeadersResult()
    {
        var flights = new SingleFlight<string>();
        Flight<string> led = flights.Join("k", s_now, s_maxAge, out bool first);
        Flight<string> followed = flights.Join("k", s_now, s_maxAge, out bool second);

        flights.Complete(led, "answer");

        Assert.True(first);
        Assert.False(second);
        Assert.Same(led, followed);
        Assert.Equal(1, led.Followers);
        Assert.Equal("answer", await followed.Result);
        Assert.Equal(0, flights.Count);
    }

    [Fact]
    public void Join_OtherKey_LeadsItsOwnFlight()
    {
        var flights = new SingleFlight<string>();
        flights.Join("a", s_now, s_maxAge, out _);

        flights.Join("b", s_now, s_maxAge, out bool leader);

        Assert.True(leader);
        Assert.Equal(2, flights.Count);
    }

    [Fact]
    public async Task Complete_WithoutResult_NextCallerLeadsAfresh()
    {
        var flights = new SingleFlight<string>();
        Flight<string> led = flights.Join("k", s_now, s_maxAge, out _);

        flights.Complete(led, null);
        Flight<string> next = flights.Join("k", s_now, s_maxAge, out bool leader);

        Assert.True(leader);
        Assert.NotSame(led, next);
        Assert.Null(await led.Result);
    }

    [Fact]
    public async Task Publish_KeepsTheFlightJoinableUntilForgotten()
    {
        var flights = new SingleFlight<string>();
        Flight<string> led = flights.Join("k", s_now, s_maxAge, out _);

        SingleFlight<string>.Publish(led, "answer");
        Flight<string> late = flights.Join("k", s_now.AddMinutes(5), s_maxAge, out bool lateLeads);
        flights.Forget(led);
        flights.Join("k", s_now, s_maxAge, out bool afterForget);

        Assert.False(lateLeads);
        Assert.Equal("answer", await late.Result);
        Assert.True(afterForget);
    }

    [Fact]
    public void Join_FlightOlderThanMaxAgeWithoutResult_ReplacedAsLost()
    {
        var flights = new SingleFlight<string>();
        Flight<string> lost = flights.Join("k", s_now, s_maxAge, out _);

        Flight<string> replacement = flights.Join("k", s_now + s_maxAge + TimeSpan.FromTicks(1), s_maxAge, out bool leader);
        flights.Complete(lost, "late");

        Assert.True(leader);
        Assert.NotSame(lost, replacement);
        Assert.Equal(1, flights.Count);
    }

    [Fact]
    public async Task Join_ManyConcurrentCallers_OneLeader()
    {
        var flights = new SingleFlight<string>();
        int leaders = 0;
        await Parallel.ForAsync(0, 200, TestContext.Current.CancellationToken, (_, _) =>
        {
            flights.Join("k", s_now, s_maxAge, out bool leader);
            if (leader)
            {
                Interlocked.Increment(ref leaders);
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(1, leaders);
    }
}
