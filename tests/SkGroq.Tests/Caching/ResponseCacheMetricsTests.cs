using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SkGroq.Caching;

namespace SkGroq.Tests.Caching;

public sealed class ResponseCacheMetricsTests
{
    [Fact]
    public async Task Metrics_MissHitAndStaleServe_CountedWithModelAndTokensSaved()
    {
        using ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        IMeterFactory factory = services.GetRequiredService<IMeterFactory>();
        using var hits = new MetricCollector<long>(factory, ResponseCacheMetrics.MeterName, "skgroq.cache.hits");
        using var misses = new MetricCollector<long>(factory, ResponseCacheMetrics.MeterName, "skgroq.cache.misses");
        using var stale = new MetricCollector<long>(factory, ResponseCacheMetrics.MeterName, "skgroq.cache.stale_serves");
        using var saved = new MetricCollector<long>(factory, ResponseCacheMetrics.MeterName, "skgroq.cache.tokens_saved");
        using var entries = new MetricCollector<long>(factory, ResponseCacheMetrics.MeterName, "skgroq.cache.entries");
        using var bytes = new MetricCollector<long>(factory, ResponseCacheMetrics.MeterName, "skgroq.cache.size");
        using var harness = new CachingHarness(o => o.Cache.TimeToLive = TimeSpan.FromMinutes(1), meterFactory: factory);
        harness.ReplyJson().ReplyError(503, """{"error":{"message":"over capacity","type":"internal_server_error","code":"over_capacity"}}""");

        await harness.ExchangeAsync(CachingHarness.Question);
        await harness.ExchangeAsync(CachingHarness.Question);
        harness.Time.Advance(TimeSpan.FromMinutes(2));
        await harness.ExchangeAsync(CachingHarness.Question);
        entries.RecordObservableInstruments();
        bytes.RecordObservableInstruments();

        CollectedMeasurement<long> hit = Assert.Single(hits.GetMeasurementSnapshot());
        Assert.Equal("store", hit.Tags["source"]);
        Assert.Equal(CachingHarness.Model, hit.Tags["gen_ai.request.model"]);
        Assert.Equal(2, misses.GetMeasurementSnapshot().Count);
        Assert.Equal("over_capacity", Assert.Single(stale.GetMeasurementSnapshot()).Tags["error.type"]);
        Assert.Equal(70, saved.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, entries.LastMeasurement?.Value);
        Assert.True(bytes.LastMeasurement?.Value > CachingHarness.Completion().Length);
    }
}
