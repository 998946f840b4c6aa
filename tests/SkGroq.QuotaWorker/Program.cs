using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkGroq.Configuration;
using SkGroq.Errors;
using SkGroq.Models;
using SkGroq.QuotaWorker;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;

// One of several processes sharing one Groq organization through Redis (tests/SkGroq.Tests/RateLimiting/Redis/MultiProcess/MultiProcessQuotaTests.cs):
// sends chat completions through SkGroq's whole pipeline at a fixed concurrency from GO to STOP. Protocol: WorkerOutput.
WorkerSettings settings = WorkerSettings.Parse(args);
var services = new ServiceCollection();
services.AddLogging(logging => logging.AddProvider(new EventLoggerProvider()).SetMinimumLevel(LogLevel.Information));
services.AddGroq(options =>
{
    options.ApiKey = settings.ApiKey;
    options.BaseUrl = settings.BaseUrl;
    options.Usage.Persist = false;
    options.RequestTimeout = TimeSpan.FromSeconds(60);
    options.Models[settings.Model] = new ModelOverride { RequestsPerMinute = settings.RequestsPerMinute, TokensPerMinute = settings.TokensPerMinute };
    if (settings.Redis is not null)
    {
        options.Redis.ConnectionString = settings.Redis;
        options.Redis.KeyPrefix = settings.KeyPrefix;
        options.Redis.InstanceCount = settings.Instances;
        options.Redis.RejoinPeriod = settings.RejoinPeriod;
        options.Redis.ReconnectInterval = TimeSpan.FromMilliseconds(200);
    }
});
await using ServiceProvider provider = services.BuildServiceProvider();
HttpClient client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);
QuotaLimiter limiter = provider.GetRequiredService<QuotaLimiter>();

// Warm up without spending quota: the pipeline (GET /models passes through the limiter) and the Redis connection.
using (HttpResponseMessage models = await client.GetAsync(new Uri("models", UriKind.Relative)))
{
    models.EnsureSuccessStatusCode();
}

await limiter.Store.GetSnapshotAsync(new QuotaKey("warm-up", settings.Model));
WorkerOutput.Line("READY");
if (Console.ReadLine()?.Trim() != "GO")
{
    return 2;
}

using var stop = new CancellationTokenSource();
_ = Task.Run(() =>
{
    while (Console.ReadLine() is { } line)
    {
        if (line.Trim() == "STOP")
        {
            break;
        }
    }

    stop.Cancel();
});

int sent = 0;
int succeeded = 0;
long tokens = 0;
var failures = new Dictionary<string, int>(StringComparer.Ordinal);
await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(loop => Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        int n = Interlocked.Increment(ref sent);
        var body = new
        {
            model = settings.Model,
            messages = new[] { new { role = "user", content = $"{settings.Name} asks question {n}: tell me something about the number {n}." } },
            max_tokens = settings.MaxTokens,
        };
        try
        {
            // Not cancelled by STOP: a request that was sent is answered.
            using HttpResponseMessage response = await client.PostAsJsonAsync(new Uri("chat/completions", UriKind.Relative), body);
            using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            long used = answer.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt64();
            Interlocked.Increment(ref succeeded);
            Interlocked.Add(ref tokens, used);
            WorkerOutput.Line($"OK {TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()} {used}");
        }
        catch (Exception exception)
        {
            string kind = exception is GroqRateLimitException { Reason: GroqRateLimitReason.ServerRejected } ? "server_429"
                : exception is GroqException groq ? groq.Kind
                : exception.GetType().Name;
            lock (failures)
            {
                failures[kind] = failures.GetValueOrDefault(kind) + 1;
            }

            WorkerOutput.Line($"FAIL {kind} {exception.Message.ReplaceLineEndings(" ")}");
        }
    }
}))).ConfigureAwait(false);

var fallback = limiter.Store as FallbackQuotaStore;
var report = new WorkerReport(settings.Name, sent, succeeded, failures, tokens, fallback?.Mode.ToString() ?? "InMemory", fallback?.Outages ?? 0, fallback?.Rejoins ?? 0);
WorkerOutput.Line("REPORT " + JsonSerializer.Serialize(report));
return 0;
