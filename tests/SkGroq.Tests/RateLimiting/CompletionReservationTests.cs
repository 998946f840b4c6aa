using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

public sealed class CompletionReservationTests
{
    private const string Model = "llama-3.1-8b-instant";

    [Fact]
    public void For_BeforeEnoughCompletions_IsTheConfiguredDefault()
    {
        var reservation = new CompletionReservation(1_024, learn: true);
        for (int i = 1; i < CompletionReservation.MinimumSamples; i++)
        {
            reservation.Observe(Model, 50);
        }

        Assert.Equal(1_024, reservation.For(Model));
        Assert.Equal(1_024, reservation.For("another-model"));
    }

    [Fact]
    public void For_AfterEnoughCompletions_IsTheirNinetyFifthPercentile()
    {
        var reservation = new CompletionReservation(1_024, learn: true);
        for (int i = 1; i <= 100; i++)
        {
            reservation.Observe(Model, i * 10);
        }

        Assert.Equal(950, reservation.For(Model));
        Assert.Equal(1_024, reservation.For("another-model"));
    }

    [Fact]
    public void For_FollowsTheRecentCompletions_AsOlderOnesLeaveTheWindow()
    {
        var reservation = new CompletionReservation(1_024, learn: true);
        for (int i = 0; i < CompletionReservation.Window; i++)
        {
            reservation.Observe(Model, 2_000);
        }

        Assert.Equal(2_000, reservation.For(Model));
        for (int i = 0; i < CompletionReservation.Window; i++)
        {
            reservation.Observe(Model, 80);
        }

        Assert.Equal(80, reservation.For(Model));
    }

    [Fact]
    public void For_LearningOff_StaysTheConfiguredDefault()
    {
        var reservation = new CompletionReservation(1_024, learn: false);
        for (int i = 0; i < 100; i++)
        {
            reservation.Observe(Model, 50);
        }

        Assert.Equal(1_024, reservation.For(Model));
    }

    [Fact]
    public async Task Observe_FromManyThreads_KeepsAConsistentEstimate()
    {
        var reservation = new CompletionReservation(1_024, learn: true);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                reservation.Observe(Model, 300);
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(300, reservation.For(Model));
    }
}
