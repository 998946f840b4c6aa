using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Console.Stress;
using SkGroq.Emulator;
using SkGroq.Emulator.Accounting;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>
/// End to end: Semantic Kernel → the SkGroq pipeline (usage tracking, rate limiting, response inspection) → the real emulator on a
/// loopback port, both on one virtual clock (the clock moves only while every request waits for quota; see <see cref="VirtualClockDriver"/>).
/// </summary>
public sealed class RateLimitingEmulatorTests
{
    private const string Model = "llama-3.1-8b-instant";

    [Fact]
    public async Task MixedRequests_AtConcurrency50_WithinFreePlanLimits_AllSucceedWithAtMostOnePercentServer429s()
    {
        // Free plan: 30 RPM, 6,000 TPM. 200 requests take about six virtual minutes; deadlines cover the queue.
        await using Harness harness = await Harness.StartAsync(new ModelLimits(30, 14_400, 6_000, 500_000));
        var settings = new RateLimitStressSettings(Requests: 200, Concurrency: 50, Model, MaxTokens: 200, PromptWords: 150, RequestTimeout: TimeSpan.FromMinutes(30));

        RateLimitStressReport report = await harness.RunAsync(settings, tpmLimit: 6_000);

        EmulatorUsage server = harness.Emulator.Accounting.Get(harness.Emulator.ApiKey, Model);
        Assert.True(report.Failed == 0, $"failures: {string.Join(", ", report.FailuresByKind)}");
        Assert.Equal(200, report.Succeeded);
        Assert.Equal(200, server.Succeeded);
        Assert.True(server.RateLimited <= 2, $"{server.RateLimited} server 429s");
        Assert.Equal(server.RateLimited, report.Server429s);
        Assert.Equal(server.PromptTokens + server.CompletionTokens, report.Tokens);

        // 200 requests at 30 per minute: the first 30 at once, then one every 2 s — (200 − 30) × 2 s = 340 s, and no longer
        // than that (plus a clock step and the guards): requests per minute, the binding limit, was used to the full.
        Assert.InRange(report.ElapsedSeconds, 340, 345);
        Assert.True(report.QueueWaitMs.P99 > 0);
    }

    [Fact]
    public async Task SustainedOverload_AchievesAtLeast95PercentOfTokensPerMinute()
    {
        // Large requests and a high RPM: tokens/minute is the binding limit the whole run.
        await using Harness harness = await Harness.StartAsync(new ModelLimits(1_000, 14_400, 6_000, 500_000));
        var settings = new RateLimitStressSettings(Requests: 60, Concurrency: 20, Model, MaxTokens: 600, PromptWords: 1_500, RequestTimeout: TimeSpan.FromHours(1));

        RateLimitStressReport report = await harness.RunAsync(settings, tpmLimit: 6_000);

        Assert.Equal(0, report.Failed);
        Assert.True(harness.Emulator.Accounting.Get(harness.Emulator.ApiKey, Model).RateLimited <= 1);

        // The first minute's full bucket is a burst every run gets; what the refill sustained is the measure.
        Assert.True(report.ElapsedSeconds > 300, $"elapsed {report.ElapsedSeconds} s: the run must be long enough to measure");
        Assert.True(report.SustainedTokensPerMinute >= 0.95 * 6_000, $"{report.SustainedTokensPerMinute} tokens/minute sustained of 6,000");
    }

    [Fact]
    public async Task ServerRpmBelowTheCatalogs_IsLearntFromItsFirst429s_AtMostTheDifferenceInServer429s()
    {
        // Groq sends no RPM header: the catalog says 30, the server allows 20. The RPM 429 bodies' "Limit 20" sets the limit.
        await using Harness harness = await Harness.StartAsync(new ModelLimits(30, 14_400, 6_000, 500_000), serverLimits: new ModelLimits(20, 14_400, 6_000, 500_000));
        var settings = new RateLimitStressSettings(Requests: 40, Concurrency: 20, Model, MaxTokens: 100, PromptWords: 60, RequestTimeout: TimeSpan.FromMinutes(30));

        RateLimitStressReport report = await harness.RunAsync(settings, tpmLimit: 6_000);

        EmulatorUsage server = harness.Emulator.Accounting.Get(harness.Emulator.ApiKey, Model);
        Assert.True(report.Failed == 0, $"failures: {string.Join(", ", report.FailuresByKind)}");
        Assert.Equal(40, server.Succeeded);
        Assert.True(server.RateLimited <= 30 - 20, $"{server.RateLimited} server 429s");
    }

    private sealed class Harness : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time;
        private readonly ServiceProvider _services;

        private readonly DelegatingQuotaStore _store;

        private Harness(GroqEmulator emulator, FakeTimeProvider time, DelegatingQuotaStore store, ServiceProvider services)
        {
            Emulator = emulator;
            _time = time;
            _store = store;
            _services = services;
        }

        public GroqEmulator Emulator { get; }

        /// <summary>Starts the emulator at <paramref name="serverLimits"/> (default: the client's) and a client whose catalog says <paramref name="limits"/>.</summary>
        public static async Task<Harness> StartAsync(ModelLimits limits, ModelLimits? serverLimits = null)
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 5, 12, 0, 0, TimeSpan.Zero));
            var options = new GroqEmulatorOptions { TimeProvider = time, TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
            options.Limits[Model] = serverLimits ?? limits;
            GroqEmulator emulator = await GroqEmulator.StartAsync(options, TestContext.Current.CancellationToken);

            var services = new ServiceCollection();
            services.AddLogging();
            services.AddMetrics();
            services.AddSingleton<TimeProvider>(time);

            // The in-memory store, counted: the clock driver waits for settlements before moving time.
            var store = new DelegatingQuotaStore(new InMemoryQuotaStore(time));
            services.AddSingleton<IQuotaStore>(store);
            services.AddGroq(o =>
            {
                o.ApiKey = emulator.ApiKey;
                o.BaseUrl = emulator.BaseUrl.AbsoluteUri;
                o.Usage.Persist = false;
                o.Models[Model] = new ModelOverride
                {
                    RequestsPerMinute = limits.RequestsPerMinute,
                    RequestsPerDay = limits.RequestsPerDay,
                    TokensPerMinute = limits.TokensPerMinute,
                    TokensPerDay = limits.TokensPerDay,
                };
            });
            return new Harness(emulator, time, store, services.BuildServiceProvider());
        }

        public async Task<RateLimitStressReport> RunAsync(RateLimitStressSettings settings, long tpmLimit)
        {
            using var driver = new VirtualClockDriver();
            var runner = new RateLimitStressRunner(_services.GetRequiredService<IChatCompletionService>(), _time, _services.GetRequiredService<IMeterFactory>())
            {
                Progress = driver,
            };
            Task<RateLimitStressReport> run = runner.RunAsync(settings, tpmLimit, TestContext.Current.CancellationToken);
            RateLimitStressReport report = await driver.DriveAsync(_time, _services.GetRequiredService<QuotaLimiter>(), _store, runner, run, TimeSpan.FromMilliseconds(50));
            TestContext.Current.TestOutputHelper?.WriteLine(report.ToString() + string.Join(" | ", report.FailuresByKind));
            return report;
        }

        public async ValueTask DisposeAsync()
        {
            await _services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }
}
