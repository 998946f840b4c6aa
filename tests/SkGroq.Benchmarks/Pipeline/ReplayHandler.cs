namespace SkGroq.Benchmarks.Pipeline;

/// <summary>A primary handler that answers every request at once from a recording: JSON for a non-streaming body, SSE for a streaming one.</summary>
internal sealed class ReplayHandler(RecordedExchange json, RecordedExchange stream) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The request body is read as a transport would send it.
        byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        bool streaming = body.AsSpan().IndexOf("\"stream\":true"u8) >= 0;
        return (streaming ? stream : json).CreateResponse(request);
    }
}
