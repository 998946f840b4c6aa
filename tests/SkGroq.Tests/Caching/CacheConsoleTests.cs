using System.Text.Json;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;
using SkGroq.Tests.Console;

namespace SkGroq.Tests.Caching;

/// <summary>The cache in the console: <c>test-stream</c>'s <c>cached</c> field and <c>--repeat</c>, <c>cache stats</c> and <c>cache clear</c>.</summary>
public sealed class CacheConsoleTests
{
    private static readonly string[] s_runFields = ["model", "model_requested", "fallback_from", "fallback_reason", "text", "ttft_ms", "tokens_per_second", "usage", "request_id", "emulator", "cached"];

    [Fact]
    public async Task TestStream_SingleRun_OneObjectWithCachedFalse()
    {
        await using GroqEmulator emulator = await StartAsync();

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-stream", "--temperature", "0", "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        Assert.Equal(s_runFields, json.EnumerateObject().Select(p => p.Name));
        Assert.False(json.GetProperty("cached").GetBoolean());
    }

    [Fact]
    public async Task TestStream_Repeat_EachRunReportedAndTheLaterOnesFromTheCache()
    {
        await using GroqEmulator emulator = await StartAsync();

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-stream", "--repeat", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement[] runs = [.. result.Json().GetProperty("runs").EnumerateArray()];
        Assert.Equal(3, runs.Length);
        Assert.All(runs, run => Assert.Equal(s_runFields, run.EnumerateObject().Select(p => p.Name)));
        Assert.Equal([false, true, true], runs.Select(r => r.GetProperty("cached").GetBoolean()));
        Assert.All(runs, run => Assert.Equal("I am fine, thank you.", run.GetProperty("text").GetString()));
        Assert.All(runs, run => Assert.Equal(49, run.GetProperty("usage").GetProperty("total_tokens").GetInt64()));
        Assert.Equal(JsonValueKind.Null, runs[1].GetProperty("tokens_per_second").ValueKind);
        Assert.Equal(1, emulator.Accounting.RequestsReceived);
    }

    [Fact]
    public async Task TestStream_RepeatWithoutCache_AsksGroqEveryTime()
    {
        await using GroqEmulator emulator = await StartAsync();

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-stream", "--repeat", "2", "--no-cache", "--temperature", "0", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.All(result.Json().GetProperty("runs").EnumerateArray(), run => Assert.False(run.GetProperty("cached").GetBoolean()));
        Assert.Equal(2, emulator.Accounting.RequestsReceived);
    }

    [Fact]
    public async Task TestStream_RepeatHumanOutput_TableOfRuns()
    {
        await using GroqEmulator emulator = await StartAsync();

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-stream", "--repeat", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("run 2/2", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 2 runs answered from the response cache; 49 tokens saved.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Answered from the response cache", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task TestStream_RepeatOutOfRange_UsageError(string repeat)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("test-stream", "--repeat", repeat);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--repeat must be between 1 and 1000.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheStats_AfterRepeatedRuns_HitRateAndTokensSavedFromTheLedger()
    {
        await using GroqEmulator emulator = await StartAsync();
        string database = Path.Combine(Path.GetTempPath(), $"skgroq-cache-{Guid.NewGuid():N}.db");
        try
        {
            Dictionary<string, string?> configuration = ConsoleRunner.For(emulator);
            configuration["Groq:Usage:Persist"] = "true";
            configuration["Groq:Usage:DatabasePath"] = database;
            Assert.Equal(0, (await ConsoleRunner.RunAsync(configuration, null, "test-stream", "--repeat", "4", "--json")).ExitCode);

            ConsoleResult stats = await ConsoleRunner.RunAsync(configuration, null, "cache", "stats", "--json");
            ConsoleResult human = await ConsoleRunner.RunAsync(configuration, null, "cache", "stats");

            Assert.Equal(0, stats.ExitCode);
            JsonElement json = stats.Json();
            Assert.Equal("memory", json.GetProperty("store").GetString());
            // A memory store belongs to each process: no count of entries rather than a misleading 0.
            Assert.Equal(JsonValueKind.Null, json.GetProperty("entries").ValueKind);
            Assert.Equal((4L, 3L), (json.GetProperty("requests").GetInt64(), json.GetProperty("hits").GetInt64()));
            Assert.Equal(0.75, json.GetProperty("hit_rate").GetDouble());
            Assert.Equal(3 * 49, json.GetProperty("tokens_saved").GetInt64());
            Assert.Contains("75.0 % (3 of 4 requests answered from the cache)", human.Stdout, StringComparison.Ordinal);
            Assert.Contains("not kept between runs", human.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            foreach (string file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task CacheClear_Json_SaysWhatWasCleared()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("cache", "clear", "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        Assert.Equal("memory", json.GetProperty("store").GetString());
        Assert.True(json.GetProperty("cleared").GetBoolean());
        Assert.Equal(0, json.GetProperty("removed").GetInt64());
    }

    private static async Task<GroqEmulator> StartAsync()
    {
        GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);
        emulator.Script.Always(ScriptedReply.Text("I am fine, thank you."));
        return emulator;
    }
}
