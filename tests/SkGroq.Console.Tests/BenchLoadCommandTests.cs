using System.Text.Json;
using SkGroq.Emulator;
using SkGroq.Models;

namespace SkGroq.Tests.Console;

/// <summary><c>bench load</c> in-process: tiny runs with zero pacing check the report's shape and that every conversation got every answer (never its timings).</summary>
public sealed class BenchLoadCommandTests
{
    // Limits that never bind: an admission the emulator refused would make the client fall back to another model.
    private const long Unbounded = 1_000_000_000_000_000;

    [Theory]
    [InlineData("skgroq")]
    [InlineData("plain")]
    public async Task BenchLoad_Json_EveryStreamCompletesAndTheReportHasEveryFigure(string client)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(
            "bench", "load", "--json", "--streams", "3", "--duration", "0.2", "--ttft-ms", "0", "--tokens-per-second", "0", "--ramp", "0", "--client", client);

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        JsonElement json = result.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(client, json.GetProperty("client").GetString());
        Assert.True(json.GetProperty("server").GetProperty("emulator").GetBoolean());
        Assert.Equal(0, json.GetProperty("server").GetProperty("ttft_ms").GetDouble());
        Assert.Equal("llama-3.1-8b-instant", json.GetProperty("model").GetString());
        Assert.Equal(3, json.GetProperty("streams").GetInt32());
        Assert.Equal(3, json.GetProperty("streams_completed").GetInt32());
        Assert.Equal(0, json.GetProperty("requests_failed").GetInt64());
        Assert.Empty(json.GetProperty("failures_by_kind").EnumerateObject());

        // Every conversation asked at least once; its first request is reported apart from the later ones.
        long requests = json.GetProperty("requests").GetInt64();
        Assert.True(requests >= 3, $"{requests} requests for 3 conversations");
        Assert.Equal(3, json.GetProperty("first_request_ttft_overhead_ms").GetProperty("count").GetInt32());
        foreach (string name in (string[])["ttft_ms", "ttft_overhead_ms", "first_request_ttft_overhead_ms"])
        {
            JsonElement percentiles = json.GetProperty(name);
            double p50 = percentiles.GetProperty("p50").GetDouble(), p95 = percentiles.GetProperty("p95").GetDouble();
            double p99 = percentiles.GetProperty("p99").GetDouble(), max = percentiles.GetProperty("max").GetDouble();
            Assert.True(p50 <= p95 && p95 <= p99 && p99 <= max, $"{name}: {percentiles}");
        }

        Assert.Equal(requests - 3, json.GetProperty("ttft_overhead_ms").GetProperty("count").GetInt32());
        Assert.True(json.GetProperty("completion_tokens").GetInt64() >= requests);
        Assert.True(json.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.True(json.GetProperty("cpu_ms").GetDouble() >= 0);
        Assert.True(json.GetProperty("cpu_ms_per_1000_requests").GetDouble() >= 0);
        JsonElement memory = json.GetProperty("memory");
        Assert.True(memory.GetProperty("peak_working_set_mb").GetDouble() >= memory.GetProperty("working_set_before_mb").GetDouble());
        Assert.True(memory.GetProperty("allocated_kb_per_request").GetDouble() > 0);
        Assert.True(memory.TryGetProperty("peak_working_set_mb_per_1000_streams", out _));
        JsonElement gc = json.GetProperty("gc");
        Assert.True(gc.GetProperty("gen0").GetInt32() >= 0 && gc.GetProperty("pause_ms").GetDouble() >= 0);
        JsonElement pool = json.GetProperty("thread_pool");
        Assert.True(pool.GetProperty("threads_max").GetInt32() >= 1);
        Assert.True(pool.GetProperty("min_worker_threads").GetInt32() >= 1);
        Assert.True(pool.GetProperty("queue_length_max").GetInt64() >= pool.GetProperty("queue_length_p99").GetInt64());
        Assert.True(pool.GetProperty("timer_lag_max_ms").GetDouble() >= pool.GetProperty("timer_lag_p99_ms").GetDouble());

        // Three conversations at once over HTTP/1.1: one connection each (the warm-up's connections may serve some of them).
        Assert.InRange(json.GetProperty("connections_opened").GetInt64(), 0, 3);
        JsonElement targets = json.GetProperty("targets");
        Assert.Equal(5, targets.GetProperty("ttft_overhead_p99_ms_limit").GetDouble());
        Assert.Equal(200, targets.GetProperty("working_set_mb_limit").GetDouble());
    }

    [Fact]
    public async Task BenchLoad_ExternalBaseUrl_LoadsThatServerWithItsKey()
    {
        // A standalone server must be started with limits that do not bind, as the command's notice says.
        var options = new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
        options.Limits["llama-3.1-8b-instant"] = new ModelLimits(Unbounded, Unbounded, Unbounded, Unbounded);
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(options, TestContext.Current.CancellationToken);

        ConsoleResult result = await ConsoleRunner.RunAsync(
            ConsoleRunner.For(emulator), null, "bench", "load", "--json", "--streams", "2", "--duration", "0", "--ttft-ms", "0", "--ramp", "0");

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        JsonElement json = result.Json();
        Assert.False(json.GetProperty("server").GetProperty("emulator").GetBoolean());
        Assert.Equal(emulator.BaseUrl.AbsoluteUri, json.GetProperty("server").GetProperty("base_url").GetString());
        Assert.Equal(2, json.GetProperty("requests").GetInt64());
        Assert.Equal(2, json.GetProperty("streams_completed").GetInt32());

        // Five warm-up rounds of four requests, then one request per conversation (duration 0): all of them reached this server.
        Assert.Equal(22, emulator.Accounting.Get(emulator.ApiKey, "llama-3.1-8b-instant").Succeeded);
        Assert.Equal(22, emulator.Accounting.RequestsReceived);
        Assert.Contains("Load goes to the server at", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchLoad_HumanOutput_ReportsOverheadAgainstTheTargets()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(
            "bench", "load", "--streams", "2", "--duration", "0", "--ttft-ms", "0", "--tokens-per-second", "0", "--ramp", "0");

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Contains("overhead (minus server TTFT)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("target ≤ 200 MB", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("OK: every conversation got every answer.", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "bench", "load", "--streams", "0" }, "--streams must be between 1 and 100,000")]
    [InlineData(new[] { "bench", "load", "--duration", "-1" }, "--duration must be between 0 and 3,600 seconds")]
    [InlineData(new[] { "bench", "load", "--ttft-ms", "-5" }, "--ttft-ms must be zero or a positive number")]
    [InlineData(new[] { "bench", "load", "--max-tokens", "0" }, "--max-tokens must be at least 1")]
    public async Task BenchLoad_BadArguments_ExitWithUsageCodeAndSayWhatToDo(string[] args, string expected)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchLoad_UnknownClient_IsRefusedByTheParser()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("bench", "load", "--client", "curl");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("curl", result.Stderr, StringComparison.Ordinal);
    }
}
