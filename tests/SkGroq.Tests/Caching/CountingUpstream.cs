namespace SkGroq.Tests.Caching;

/// <summary>A thread-safe primary handler: counts the calls and answers each with <c>reply(callNumber, request, token)</c>.</summary>
internal sealed class CountingUpstream(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply) : HttpMessageHandler
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when the first call arrives.</summary>
    public TaskCompletionSource FirstCall { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        FirstCall.TrySetResult();
        return reply(call, request, cancellationToken);
    }
}
