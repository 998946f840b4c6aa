using SkGroq.Http;

namespace SkGroq.Tests.Http;

public sealed class ResponseObservationTests
{
    private static readonly ResponseOutcome s_outcome = new(ResponseEndKind.Completed, null, "m", "stop", 3, 1, 2, null);

    [Fact]
    public void OnCompleted_RunsCallbacksSynchronouslyInOrderBeforeTryCompleteReturns()
    {
        var observation = new ResponseObservation("req_1", streaming: true, headersTimestamp: 0);
        var calls = new List<string>();
        observation.OnCompleted(o => calls.Add("first:" + o.FinishReason));
        observation.OnCompleted(_ => calls.Add("second"));

        Assert.Empty(calls);
        Assert.True(observation.TryComplete(s_outcome));

        Assert.Equal(["first:stop", "second"], calls);
        Assert.True(observation.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task OnCompleted_AfterCompletion_RunsAtOnce_AndASecondCompletionIsIgnored()
    {
        var observation = new ResponseObservation(null, streaming: false, headersTimestamp: 0);
        Assert.True(observation.TryComplete(s_outcome));
        int runs = 0;

        observation.OnCompleted(_ => runs++);
        Assert.False(observation.TryComplete(s_outcome with { Kind = ResponseEndKind.Abandoned }));

        Assert.Equal(1, runs);
        Assert.Equal(ResponseEndKind.Completed, (await observation.Completion).Kind);
    }

    [Fact]
    public async Task Completion_TakenBeforeTheEnd_CompletesAfterTheObserversRan()
    {
        var observation = new ResponseObservation(null, streaming: true, headersTimestamp: 0);
        Task<ResponseOutcome> completion = observation.Completion;
        bool observerRan = false;
        observation.OnCompleted(new FlagObserver(() => observerRan = true));
        Assert.False(completion.IsCompleted);
        Assert.False(observation.IsCompleted);
        Assert.False(observation.TryGetOutcome(out _));

        Assert.True(observation.TryComplete(s_outcome));

        Assert.True(observerRan);
        Assert.True(observation.IsCompleted);
        Assert.True(observation.TryGetOutcome(out ResponseOutcome outcome));
        Assert.Same(s_outcome, outcome);
        Assert.Same(s_outcome, await completion);
        Assert.Same(completion, observation.Completion);
    }

    [Fact]
    public void OnCompleted_ByAnObserverWhileObserversRun_RunsAtOnce()
    {
        var observation = new ResponseObservation(null, streaming: true, headersTimestamp: 0);
        var calls = new List<string>();
        observation.OnCompleted(new FlagObserver(() =>
        {
            calls.Add("outer");
            observation.OnCompleted(new FlagObserver(() => calls.Add("inner")));
        }));

        observation.TryComplete(s_outcome);

        Assert.Equal(["outer", "inner"], calls);
    }

    [Fact]
    public async Task RegisteringAndCompletingConcurrently_EveryObserverRunsExactlyOnce_AndEveryTaskCompletes()
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        for (int round = 0; round < 200; round++)
        {
            var observation = new ResponseObservation(null, streaming: true, headersTimestamp: 0);
            int runs = 0;
            Task<ResponseOutcome>? completion = null;
            using var start = new Barrier(3);
            Task register = Task.Run(
                () =>
                {
                    start.SignalAndWait(cancellationToken);
                    for (int i = 0; i < 50; i++)
                    {
                        observation.OnCompleted(new FlagObserver(() => Interlocked.Increment(ref runs)));
                    }
                },
                cancellationToken);
            Task take = Task.Run(
                () =>
                {
                    start.SignalAndWait(cancellationToken);
                    completion = observation.Completion;
                },
                cancellationToken);
            start.SignalAndWait(cancellationToken);
            observation.TryComplete(s_outcome);
            await Task.WhenAll(register, take);

            Assert.Equal(50, Volatile.Read(ref runs));
            Assert.Same(s_outcome, await completion!.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken));
        }
    }

    private sealed class FlagObserver(Action action) : ResponseObserver
    {
        public override void OnCompleted(ResponseOutcome outcome) => action();
    }
}
