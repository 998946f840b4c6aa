namespace SkGroq.Benchmarks.Pipeline;

/// <summary>A primary handler that answers every request at once from a recording: JSON for a non-streaming body, SSE for a streaming one.</summary>
/// <remarks>
/// With <paramref name="yields"/> the answer comes after a thread-pool hop, as a socket's does: every async frame above
/// then suspends and resumes (a boxed state machine and a continuation each), which a synchronous answer never shows.
/// </remarks>
internal sealed class ReplayHandler(RecordedExchange json, RecordedExchange stream, bool yields = false) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (yields)
        {
            await Task.Yield();
        }

        // The request body is read as a transport would send it.
        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        bool streaming = body.AsSpan().IndexOf("\"stream\":true"u8) >= 0;
        return (streaming ? stream : json).CreateResponse(request);
    }
}
