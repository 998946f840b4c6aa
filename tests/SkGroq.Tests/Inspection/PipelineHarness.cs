using System.Text;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Configuration;
using SkGroq.Http;
using SkGroq.Inspection;

namespace SkGroq.Tests.Inspection;

/// <summary>The inspection handler over a stub, driven by a fake clock.</summary>
internal sealed class PipelineHarness : IDisposable
{
    public PipelineHarness(Action<GroqOptions>? configure = null)
    {
        Options = new GroqOptions { ApiKey = "gsk_test_0123456789abcdefghijklmnop" };
        configure?.Invoke(Options);
        Inspection = new ResponseInspectionHandler(Microsoft.Extensions.Options.Options.Create(Options.Inspection), Options.ToPipelineSettings(), Time) { InnerHandler = Stub };
        Invoker = new HttpMessageInvoker(Inspection);
    }

    public GroqOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public StubHttpHandler Stub { get; } = new();

    public ResponseInspectionHandler Inspection { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>Gets what the pipeline observed of the response a request was answered with (its request info's observation).</summary>
    public static ResponseObservation? Observed(HttpResponseMessage response)
        => response.RequestMessage is { } request ? GroqRequestInfo.Get(request)?.Observation : null;

    public static HttpRequestMessage Chat(string model = "openai/gpt-oss-120b", bool stream = true)
        => new(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions")
        {
            Content = new StringContent($"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],\"stream\":{(stream ? "true" : "false")}}}", Encoding.UTF8, "application/json"),
        };

    public static async Task<string> ReadAllAsync(HttpResponseMessage response, int bufferSize = 1024)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var text = new MemoryStream();
        byte[] buffer = new byte[bufferSize];
        int read;
        while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            text.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(text.ToArray());
    }

    public void Dispose() => Invoker.Dispose();
}
