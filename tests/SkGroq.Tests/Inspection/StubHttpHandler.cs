using System.Net;
using System.Text;

namespace SkGroq.Tests.Inspection;

/// <summary>A primary handler that answers from a queue of scripted replies and remembers the requests.</summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _replies = new();

    public List<HttpRequestMessage> Requests { get; } = [];

    public TaskCompletionSource Entered { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StubHttpHandler Reply(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    public StubHttpHandler Reply(HttpStatusCode status, string body, string mediaType = "application/json", Action<HttpResponseMessage>? configure = null)
        => Reply((request, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request };
            configure?.Invoke(response);
            return Task.FromResult(response);
        });

    public StubHttpHandler ReplyStream(Stream body, Action<HttpResponseMessage>? configure = null)
        => Reply((request, _) =>
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new("text/event-stream");
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
            configure?.Invoke(response);
            return Task.FromResult(response);
        });

    /// <summary>Never answers; completes only when the token is cancelled.</summary>
    public StubHttpHandler Hang()
        => Reply(async (_, cancellationToken) =>
        {
            var never = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            using CancellationTokenRegistration registration = cancellationToken.Register(() => never.TrySetCanceled(cancellationToken));
            return await never.Task;
        });

    public StubHttpHandler Throw(Exception exception) => Reply((_, _) => Task.FromException<HttpResponseMessage>(exception));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        TaskCompletionSource entered = Entered;
        Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> reply = _replies.Count > 0
            ? _replies.Dequeue()
            : throw new InvalidOperationException("The stub has no reply left for " + request.RequestUri);
        Task<HttpResponseMessage> task = reply(request, cancellationToken);
        entered.TrySetResult();
        return task;
    }
}
