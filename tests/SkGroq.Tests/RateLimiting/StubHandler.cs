namespace SkGroq.Tests.RateLimiting;

/// <summary>The innermost handler of a test pipeline: answers each request with the next reply from a queue.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _replies = new();

    public int Calls { get; private set; }

    public void Enqueue(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply)
    {
        lock (_replies)
        {
            _replies.Enqueue(reply);
        }
    }

    public void Enqueue(Func<HttpRequestMessage, HttpResponseMessage> reply) => Enqueue((request, _) => Task.FromResult(reply(request)));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply;
        lock (_replies)
        {
            Calls++;
            reply = _replies.Count > 0 ? _replies.Dequeue() : throw new InvalidOperationException("The stub has no reply queued for " + request.RequestUri);
        }

        return reply(request, cancellationToken);
    }
}
