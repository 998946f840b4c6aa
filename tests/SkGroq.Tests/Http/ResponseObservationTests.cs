using SkGroq.Http;

namespace SkGroq.Tests.Http;

public sealed class ResponseObservationTests
{
    private static readonly ResponseOutcome s_outcome = new(ResponseEndKind.Completed, null, "m", "stop", 3, 1, 2, null);

    [Fact]
    public void OnCompleted_RunsCallbacksSynchronouslyInOrderBeforeTryCompleteReturns()
    {
        var observation = new ResponseObservation("req_1", null, streaming: true, headersTimestamp: 0);
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
        var observation = new ResponseObservation(null, null, streaming: false, headersTimestamp: 0);
        Assert.True(observation.TryComplete(s_outcome));
        int runs = 0;

        observation.OnCompleted(_ => runs++);
        Assert.False(observation.TryComplete(s_outcome with { Kind = ResponseEndKind.Abandoned }));

        Assert.Equal(1, runs);
        Assert.Equal(ResponseEndKind.Completed, (await observation.Completion).Kind);
    }
}
