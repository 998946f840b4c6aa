using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

public sealed class UsageMetricsTests
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_StreamedAnswer_PublishesGenAiTokenUsageDurationAndTimeToFirstChunk()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        using var tokens = new MetricCollector<long>(factory, UsageMetrics.MeterName, "gen_ai.client.token.usage");
        using var duration = new MetricCollector<double>(factory, UsageMetrics.MeterName, "gen_ai.client.operation.duration");
        using var ttfc = new MetricCollector<double>(factory, UsageMetrics.MeterName, "gen_ai.client.operation.time_to_first_chunk");
        using var metrics = new UsageMetrics(factory);

        metrics.Record(UsageRecords.Make(s_t0, "openai/gpt-oss-20b", 75, 4, ttft: TimeSpan.FromMilliseconds(250)));

        IReadOnlyList<CollectedMeasurement<long>> usage = tokens.GetMeasurementSnapshot();
        Assert.Equal(2, usage.Count);
        CollectedMeasurement<long> input = Assert.Single(usage, m => (string?)m.Tags["gen_ai.token.type"] == "input");
        Assert.Equal(75, input.Value);
        Assert.Equal("groq", input.Tags["gen_ai.provider.name"]);
        Assert.Equal("chat", input.Tags["gen_ai.operation.name"]);
        Assert.Equal("openai/gpt-oss-20b", input.Tags["gen_ai.request.model"]);
        Assert.Equal("openai/gpt-oss-20b", input.Tags["gen_ai.response.model"]);
        Assert.Equal(4, Assert.Single(usage, m => (string?)m.Tags["gen_ai.token.type"] == "output").Value);
        Assert.Equal(0.8125, Assert.Single(duration.GetMeasurementSnapshot()).Value);
        Assert.Equal(0.25, Assert.Single(ttfc.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public void Record_FailedRequest_DurationCarriesErrorTypeAndNoTokens()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        using var tokens = new MetricCollector<long>(factory, UsageMetrics.MeterName, "gen_ai.client.token.usage");
        using var duration = new MetricCollector<double>(factory, UsageMetrics.MeterName, "gen_ai.client.operation.duration");
        using var metrics = new UsageMetrics(factory);

        metrics.Record(UsageRecords.Make(s_t0, outcome: UsageOutcome.Error));

        Assert.Empty(tokens.GetMeasurementSnapshot());
        Assert.Equal("server_error", Assert.Single(duration.GetMeasurementSnapshot()).Tags["error.type"]);
    }
}
