using System.Text;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Configuration;
using SkGroq.Inspection;
using SkGroq.Models;
using SkGroq.Tests.Inspection;
using SkGroq.Usage;
using SkGroq.Usage.Tracking;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace SkGroq.Tests.Usage;

/// <summary>Usage tracking → (optional middle handler) → response inspection → stub.</summary>
internal sealed class UsageHarness : IDisposable
{
    public UsageHarness(Action<GroqOptions>? configure = null, DelegatingHandler? middle = null)
    {
        Options = new GroqOptions { ApiKey = ApiKey };
        configure?.Invoke(Options);
        var inspection = new ResponseInspectionHandler(MsOptions.Create(Options.Inspection), Options.ToPipelineSettings(), Time) { InnerHandler = Stub };
        HttpMessageHandler below = inspection;
        if (middle is not null)
        {
            middle.InnerHandler = inspection;
            below = middle;
        }

        Metrics = new UsageMetrics();
        Usage = new UsageTrackingHandler(MsOptions.Create(Options.Usage), Options.ToPipelineSettings(), Time, new ModelCatalog(), Ledger, Metrics) { InnerHandler = below };
        Invoker = new HttpMessageInvoker(Usage);
    }

    public const string ApiKey = "gsk_secret_9f8e7d6c5b4a39281706abcdef";

    public GroqOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public StubHttpHandler Stub { get; } = new();

    public RecordingLedger Ledger { get; } = new();

    public UsageMetrics Metrics { get; }

    public UsageTrackingHandler Usage { get; }

    public HttpMessageInvoker Invoker { get; }

    public static HttpRequestMessage Chat(string model, bool stream) => PipelineHarness.Chat(model, stream);

    public static HttpRequestMessage Chat(string body)
        => new(HttpMethod.Post, "https://api.groq.com/openai/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public void Dispose()
    {
        Invoker.Dispose();
        Metrics.Dispose();
    }
}
