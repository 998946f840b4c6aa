using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// The cheapest server that still answers like Groq: Kestrel on loopback replaying one recorded JSON answer and one recorded
/// stream (status, headers, body), chosen by whether the request asks for a stream. Its own cost per request is as small as
/// a real HTTP server's can be, so the ratios between clients show the clients' cost, not the server's.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private static readonly byte[] s_streamTrue = "\"stream\":true"u8.ToArray();
    private readonly WebApplication _app;

    private ReplayServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Gets the OpenAI-compatible base URL (<c>…/openai/v1/</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Starts the server on a free loopback port.</summary>
    /// <param name="json">The recorded non-streaming answer.</param>
    /// <param name="stream">The recorded stream.</param>
    /// <returns>The running server.</returns>
    public static async Task<ReplayServer> StartAsync(RecordedExchange json, RecordedExchange stream)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.MapPost("/openai/v1/chat/completions", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            bool streaming = body.GetBuffer().AsSpan(0, (int)body.Length).IndexOf(s_streamTrue) >= 0;
            await (streaming ? stream : json).WriteAsync(context.Response);
        });
        await app.StartAsync();
        string address = app.Urls.First();
        return new ReplayServer(app, new Uri(address.TrimEnd('/') + "/openai/v1/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
