using System.Net;
using System.Net.Http.Headers;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>A response recorded from the emulator (status, headers, body) that a stub handler replays without a network.</summary>
internal sealed class RecordedExchange
{
    private readonly KeyValuePair<string, string[]>[] _headers;
    private readonly KeyValuePair<string, string[]>[] _contentHeaders;

    private RecordedExchange(byte[] body, KeyValuePair<string, string[]>[] headers, KeyValuePair<string, string[]>[] contentHeaders)
    {
        Body = body;
        _headers = headers;
        _contentHeaders = contentHeaders;
    }

    /// <summary>Gets the recorded body.</summary>
    public byte[] Body { get; }

    /// <summary>Records <paramref name="body"/> sent to <paramref name="endpoint"/> through <paramref name="http"/>.</summary>
    /// <param name="http">A client that adds the key.</param>
    /// <param name="endpoint">The chat completions URL.</param>
    /// <param name="body">The request body.</param>
    /// <returns>The recorded response.</returns>
    public static async Task<RecordedExchange> RecordAsync(HttpClient http, Uri endpoint, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        using HttpResponseMessage response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        byte[] answer = await response.Content.ReadAsByteArrayAsync();
        return new RecordedExchange(
            answer,
            [.. response.Headers.Select(h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value]))],
            [.. response.Content.Headers.Where(h => !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => new KeyValuePair<string, string[]>(h.Key, [.. h.Value]))]);
    }

    /// <summary>Creates a fresh response carrying the recorded headers and body.</summary>
    /// <param name="request">The request it answers.</param>
    /// <returns>The response.</returns>
    public HttpResponseMessage CreateResponse(HttpRequestMessage request)
    {
        var content = new StreamContent(new ForwardOnlyStream(Body));
        foreach (KeyValuePair<string, string[]> header in _contentHeaders)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        foreach (KeyValuePair<string, string[]> header in _headers)
        {
            response.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return response;
    }

    /// <summary>Writes the recorded status, headers and body as a server's response.</summary>
    /// <param name="response">The server's response.</param>
    /// <returns>A task that completes when the body is written.</returns>
    public Task WriteAsync(Microsoft.AspNetCore.Http.HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = (int)HttpStatusCode.OK;
        foreach (KeyValuePair<string, string[]> header in _headers.Concat(_contentHeaders))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[header.Key] = header.Value;
            }
        }

        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body).AsTask();
    }
}
