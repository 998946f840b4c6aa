using System.Text.Json;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Tests.Console;

public sealed class ConsoleCommandTests
{
    [Fact]
    public async Task TestStream_NoKeyConfigured_StreamsFromTheEmbeddedEmulatorAndSaysSo()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("test-stream", "--prompt", "Hello, how are you?", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No GROQ_API_KEY configured", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("synthetic", result.Stderr, StringComparison.Ordinal);
        JsonElement json = result.Json();
        Assert.Equal("llama-3.1-8b-instant", json.GetProperty("model").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("text").GetString()));
        Assert.True(json.GetProperty("ttft_ms").GetDouble() > 0);
        Assert.True(json.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.Equal(41, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt64());
        Assert.StartsWith("req_", json.GetProperty("request_id").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("emulator").GetBoolean());
    }

    [Fact]
    public async Task TestStream_HumanOutput_PrintsTheAnswerThenTheMeasurements()
    {
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);
        emulator.Script.Always(ScriptedReply.Text("I am fine, thank you."));

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-stream");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("I am fine, thank you.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("time to first token", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("prompt 41 · completion 8 · total 49", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("emulator", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "test-stream", "--prompt", " " }, "--prompt is empty")]
    [InlineData(new[] { "test-stream", "--max-tokens", "0" }, "--max-tokens must be at least 1")]
    [InlineData(new[] { "test-stream", "--temperature", "3" }, "--temperature must be between 0 and 2")]
    [InlineData(new[] { "tokens", "count" }, "Give exactly one of --text")]
    [InlineData(new[] { "usage", "--since", "yesterday-ish" }, "--since 'yesterday-ish' is neither a date")]
    public async Task BadArguments_ExitWithUsageCodeAndSayWhatToDo(string[] args, string expected)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidKey_FailsInOneRoundTripWithTheActionableMessage()
    {
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator, key: "gsk_wrongwrongwrongwrongwrongb00b"), null, "test-stream", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Groq rejected the API key (invalid_api_key). Check GROQ_API_KEY in .env or the environment.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("authentication", result.Json().GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, emulator.Accounting.Unauthorized);
        Assert.DoesNotContain("wrongwrong", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestConnection_ReportsConnectionAndModelAvailability()
    {
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-connection", "--json", "--model", "llama-3.3-70b-versatile");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(emulator.BaseUrl.AbsoluteUri, json.GetProperty("base_url").GetString());
        Assert.True(json.GetProperty("connect_ms").GetDouble() >= 0);
        Assert.True(json.GetProperty("round_trip_ms").GetDouble() > 0);
        Assert.True(json.GetProperty("model_available").GetBoolean());
        Assert.Equal(1, json.GetProperty("connections_opened").GetInt64());
        Assert.Contains(json.GetProperty("models").EnumerateArray(), m => m.GetString() == "llama-3.3-70b-versatile");
    }

    [Fact]
    public async Task TestConnection_UnknownModel_FailsWithVerdict()
    {
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), null, "test-connection", "--model", "no-such-model");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-model is not among the", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_Json_ListsCatalogWithServerStatus()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("models", "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        JsonElement llama = json.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "llama-3.1-8b-instant");
        Assert.True(llama.GetProperty("served").GetBoolean());
        Assert.Equal(6000, llama.GetProperty("limits").GetProperty("tokens_per_minute").GetInt64());
        Assert.Equal(0.05m, llama.GetProperty("pricing").GetProperty("input_per_million").GetDecimal());
    }

    [Fact]
    public async Task Models_Offline_WithoutAKey_ShowsTheCatalogAndStartsNoEmulator()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("models", "--offline", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("emulator", result.Stderr, StringComparison.OrdinalIgnoreCase);
        JsonElement json = result.Json();
        Assert.Equal("catalog", json.GetProperty("source").GetString());
        JsonElement llama = json.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "llama-3.1-8b-instant");
        Assert.Equal(JsonValueKind.Null, llama.GetProperty("served").ValueKind);
    }

    [Fact]
    public async Task Chat_KeepsContextAcrossTurnsAndAnswersSlashCommands()
    {
        await using GroqEmulator emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, TestContext.Current.CancellationToken);
        emulator.Script.WhenLastUserMessageContains("My name is Ada", ScriptedReply.Text("Nice to meet you, Ada."));

        // The second turn is answered only if the first turn (with the name) was sent along with it.
        emulator.Script.When(r => r.LastUserMessage == "What is my name?" && r.Messages.Any(m => m.Content?.Contains("My name is Ada", StringComparison.Ordinal) == true), ScriptedReply.Text("Your name is Ada."));

        ConsoleResult result = await ConsoleRunner.RunAsync(
            ConsoleRunner.For(emulator),
            "My name is Ada.\n/usage\nWhat is my name?\n/usage\n/tokens\n/history\n/reset\n/history\n/exit\n",
            "chat",
            "--system",
            "Be brief.");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Nice to meet you, Ada.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Your name is Ada.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 request · prompt", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 requests · prompt", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("history ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("assistant: Your name is Ada.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Conversation reset.", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, 30L, "At 30 requests/minute the queue holds this run to at least 5.7 minutes (requests wait, none fail); fewer --requests make it shorter.")]
    [InlineData(35, 30L, "At 30 requests/minute the queue holds this run to at least 10 s (requests wait, none fail); fewer --requests make it shorter.")]
    [InlineData(30, 30L, null)]
    [InlineData(200, null, null)]
    [InlineData(200, 0L, null)]
    public void StressRateLimit_SaysHowLongTheQueueHoldsTheRun(int requests, long? requestsPerMinute, string? expected)
        => Assert.Equal(expected, SkGroq.Console.Commands.StressCommand.ExpectedDuration(requests, requestsPerMinute));

    [Fact]
    public async Task TokensCount_ReproducesTheVerifiedExample()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("tokens", "count", "--text", "What is the capital of France?", "--system", "You are a helpful assistant.", "--model", "llama-3.3-70b-versatile", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(48, result.Json().GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task TokensVerify_AgainstEmulator_ReportsNoDifference()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("tokens", "verify", "--text", "What is 2+2? Reply with just the number.", "--model", "openai/gpt-oss-120b", "--json");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        Assert.Equal(84, json.GetProperty("local_prompt_tokens").GetInt64());
        Assert.Equal(84, json.GetProperty("reported_prompt_tokens").GetInt64());
        Assert.Equal(0, json.GetProperty("difference").GetInt64());
    }

    [Fact]
    public async Task Usage_ReadsWhatEarlierCommandsRecordedInTheLedger()
    {
        string database = Path.Combine(Path.GetTempPath(), $"skgroq-usage-{Guid.NewGuid():N}.db");
        try
        {
            var configuration = new Dictionary<string, string?> { ["Groq:Usage:Persist"] = "true", ["Groq:Usage:DatabasePath"] = database };
            Assert.Equal(0, (await ConsoleRunner.RunAsync(configuration, null, "test-stream", "--json")).ExitCode);
            Assert.Equal(0, (await ConsoleRunner.RunAsync(configuration, null, "test-stream", "--json", "--model", "openai/gpt-oss-20b")).ExitCode);

            ConsoleResult result = await ConsoleRunner.RunAsync(configuration, null, "usage", "--by", "model", "--json");

            Assert.Equal(0, result.ExitCode);
            JsonElement json = result.Json();
            Assert.Equal(2, json.GetProperty("totals").GetProperty("requests").GetInt64());
            Assert.Equal(
                ["llama-3.1-8b-instant", "openai/gpt-oss-20b"],
                json.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()).Order(StringComparer.Ordinal));
        }
        finally
        {
            foreach (string file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(database) + "*"))
            {
                File.Delete(file);
            }
        }
    }
}
