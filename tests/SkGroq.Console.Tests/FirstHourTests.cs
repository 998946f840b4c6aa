using System.Text.Json;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;
using SkGroq.Tests.Integration;
using SkGroq.Tests.TestData;

namespace SkGroq.Tests.Console;

/// <summary>What a new user meets first: the README's <c>.env</c> step, mistakes in settings and arguments, a dead endpoint.</summary>
public sealed class FirstHourTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skgroq-first-hour-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnvExample_WithOnlyKeyAndBaseUrlFilledIn_EveryEverydayCommandWorks()
    {
        await using GroqEmulator emulator = await StartEmulatorAsync();
        string dotEnv = CopyEnvExample(("GROQ_API_KEY", emulator.ApiKey), ("GROQ_BASE_URL", emulator.BaseUrl.AbsoluteUri));

        foreach (string[] command in (string[][])[["test-connection"], ["test-stream", "--prompt", "Hello, how are you?"], ["tokens", "count", "--text", "Hello"], ["usage"]])
        {
            ConsoleResult result = await ConsoleRunner.RunWithDotEnvAsync(dotEnv, null, null, command);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited {result.ExitCode}: {result.Stderr}");
            Assert.DoesNotContain("emulator", result.Stderr, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(emulator.Accounting.RequestsReceived >= 2);
    }

    [Fact]
    public async Task EnvExample_CopiedAndNothingFilledIn_StreamsFromTheBuiltInEmulator()
    {
        string dotEnv = CopyEnvExample();

        ConsoleResult result = await ConsoleRunner.RunWithDotEnvAsync(dotEnv, null, null, "test-stream", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No GROQ_API_KEY configured", result.Stderr, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(result.Json().GetProperty("text").GetString()));
    }

    [Fact]
    public async Task BadSettings_ExitWithTheConfigurationCode_AndSayWhatIsAllowed()
    {
        string dotEnv = Write(".env", "GROQ_TIER=Gold\nGroq__RequestTimeout=banana\n");

        ConsoleResult result = await ConsoleRunner.RunWithDotEnvAsync(dotEnv, null, null, "test-stream");

        Assert.Equal(78, result.ExitCode);
        Assert.Contains("2 settings need fixing", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("GROQ_TIER in .env = 'Gold' is not one of the allowed values. Use Free or Developer", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Groq__RequestTimeout in .env = 'banana' is not a duration. Use 30s, 500ms, 2m", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("emulator", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadEndpoint_FailsFastWithOneShortHonestMessage_NoFallback()
    {
        int port = LoopbackPort.Free();
        Dictionary<string, string?> configuration = DeadEndpoint(port);

        ConsoleResult result = await ConsoleRunner.RunAsync(configuration, null, "test-stream");

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string message = Assert.Single(lines, l => l.StartsWith("Could not connect", StringComparison.Ordinal));
        Assert.StartsWith($"Could not connect to 127.0.0.1:{port} (connection refused). Check GROQ_BASE_URL", message, StringComparison.Ordinal);
        Assert.True(message.Length <= 300, $"{message.Length} characters: {message}");
        Assert.DoesNotContain("temporar", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("test-connection checks the endpoint and the network step by step.", lines);

        // Two connection attempts at most (one retry), and no other model tried on the same dead host.
        Assert.Contains(lines, l => l.Contains("retrying", StringComparison.Ordinal) && l.EndsWith("(attempt 2 of 2)", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("retrying", StringComparison.Ordinal));
        Assert.DoesNotContain("answering with", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadEndpoint_TestConnection_SaysWhatToCheckWithoutPointingToItself()
    {
        int port = LoopbackPort.Free();
        Dictionary<string, string?> configuration = DeadEndpoint(port);

        ConsoleResult result = await ConsoleRunner.RunAsync(configuration, null, "test-connection");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Could not connect to 127.0.0.1:{port} (connection refused). Check GROQ_BASE_URL", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("test-connection", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_TheLibrarysMessageThenTheConsolesHint()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("test-stream", "--prompt", "Hi", "--model", "llama-9-nonexistent");

        Assert.Equal(1, result.ExitCode);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("Model 'llama-9-nonexistent' does not exist or your organization has no access to it (model_not_found). Set Groq:Model (GROQ_MODEL) to one of the models Groq lists for your key (GET /models).", lines);
        Assert.Contains("The models command lists the models your key can use; --model picks one for a single run.", lines);
    }

    [Fact]
    public async Task UnknownOption_ExitsTwoOnStderr_AndUnderJsonPrintsOnlyAJsonErrorOnStdout()
    {
        ConsoleResult human = await ConsoleRunner.RunAsync("test-stream", "--bogus");
        Assert.Equal(2, human.ExitCode);
        Assert.Equal(string.Empty, human.Stdout);
        Assert.Contains("Unrecognized command or argument '--bogus'. Run 'test-stream --help' for the options.", human.Stderr, StringComparison.Ordinal);

        ConsoleResult json = await ConsoleRunner.RunAsync("test-stream", "--bogus", "--json");
        Assert.Equal(2, json.ExitCode);
        JsonElement error = json.Json().GetProperty("error");
        Assert.Equal("usage", error.GetProperty("code").GetString());
        Assert.Contains("--bogus", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> BadInputs => new()
    {
        { "bad key", ["test-stream", "--base-url", "{emulator}", "--key", "gsk_wrongwrongwrongwrongwrong1234"] },
        { "bad key, plugin", ["plugin", "run", "DocumentGeneration", "Summarize", "--var", "input=Some text.", "--base-url", "{emulator}", "--key", "gsk_wrongwrongwrongwrongwrong1234"] },
        { "unreachable host", ["test-stream", "--base-url", "http://127.0.0.1:{closed}/openai/v1", "--key", "gsk_deaddeaddeaddeaddeaddead1234"] },
        { "unwritable ledger", ["test-stream", "--ledger", "/proc/skgroq-no-such-dir/usage.db"] },
        { "missing file", ["tokens", "count", "--messages-file", "/nonexistent/messages.json"] },
        { "malformed messages file", ["tokens", "count", "--messages-file", "{malformed}"] },
        { "unknown plugin", ["plugin", "run", "NoSuchPlugin", "Summarize"] },
        { "unknown function", ["plugin", "run", "DocumentGeneration", "NoSuchFunction"] },
        { "unknown variable", ["plugin", "run", "DocumentGeneration", "Summarize", "--var", "input=x", "--var", "tone=dry"] },
        { "bad value", ["test-stream", "--max-tokens", "lots"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_OneOrTwoLines_NoStackTrace_NoTypeNames(string name, string[] template)
    {
        await using GroqEmulator emulator = await StartEmulatorAsync();
        string malformed = Write("messages.json", "{ not json");
        var configuration = new Dictionary<string, string?>();
        var args = new List<string>();
        for (int i = 0; i < template.Length; i++)
        {
            string arg = template[i]
                .Replace("{emulator}", emulator.BaseUrl.AbsoluteUri, StringComparison.Ordinal)
                .Replace("{closed}", LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{malformed}", malformed, StringComparison.Ordinal);
            switch (arg)
            {
                case "--key":
                    configuration["Groq:ApiKey"] = template[++i];
                    break;
                case "--ledger":
                    configuration["Groq:Usage:Persist"] = "true";
                    configuration["Groq:Usage:DatabasePath"] = template[++i];
                    break;
                default:
                    args.Add(arg);
                    break;
            }
        }

        ConsoleResult result = await ConsoleRunner.RunAsync(configuration, null, [.. args]);

        Assert.True(result.ExitCode != 0, $"{name}: exit 0");
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("No GROQ_API_KEY configured", StringComparison.Ordinal) && !l.Contains("retrying", StringComparison.Ordinal))
            .ToArray();
        Assert.True(lines.Length is 1 or 2, $"{name}: {lines.Length} lines: {result.Stderr}");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrongwrong", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PluginRun_UnknownVariable_ListsTheKnownOnes()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("plugin", "run", "DocumentGeneration", "Summarize", "--var", "input=x", "--var", "tone=dry");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("DocumentGeneration.Summarize has no variable 'tone'; its variables are ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("input", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatJson_OneJsonObjectPerTurn_NothingElseOnStdout()
    {
        await using GroqEmulator emulator = await StartEmulatorAsync();
        emulator.Script.WhenLastUserMessageContains("My name is Ada", ScriptedReply.Text("Nice to meet you, Ada."));

        ConsoleResult result = await ConsoleRunner.RunAsync(ConsoleRunner.For(emulator), "My name is Ada.\n/usage\n/exit\n", "chat", "--json");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using JsonDocument turn = JsonDocument.Parse(lines[0]);
        Assert.Equal(1, turn.RootElement.GetProperty("turn").GetInt32());
        Assert.Equal("Nice to meet you, Ada.", turn.RootElement.GetProperty("text").GetString());
        Assert.True(turn.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);
        using JsonDocument usage = JsonDocument.Parse(lines[1]);
        Assert.Equal(1, usage.RootElement.GetProperty("usage").GetProperty("requests").GetInt32());
    }

    [Fact]
    public async Task EmulatorFlag_WithAKeyConfigured_SaysTheKeyIsNotUsed()
    {
        var configuration = new Dictionary<string, string?> { ["Groq:ApiKey"] = "gsk_realrealrealrealrealreal1234" };

        ConsoleResult result = await ConsoleRunner.RunAsync(configuration, null, "test-stream", "--emulator", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--emulator: answers come from the built-in Groq emulator", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the configured GROQ_API_KEY is not used", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("No GROQ_API_KEY configured", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensCount_UsesTheModelNamedInTheMessagesFile_UnlessModelIsGiven()
    {
        string file = Write("request.json", """{ "model": "openai/gpt-oss-120b", "messages": [ { "role": "user", "content": "What is 2+2? Reply with just the number." } ] }""");

        ConsoleResult named = await ConsoleRunner.RunAsync("tokens", "count", "--messages-file", file, "--json");
        ConsoleResult overridden = await ConsoleRunner.RunAsync("tokens", "count", "--messages-file", file, "--model", "llama-3.3-70b-versatile", "--json");

        Assert.Equal("openai/gpt-oss-120b", named.Json().GetProperty("model").GetString());
        Assert.Equal(84, named.Json().GetProperty("prompt_tokens").GetInt32());
        Assert.Equal("llama-3.3-70b-versatile", overridden.Json().GetProperty("model").GetString());
    }

    [Fact]
    public async Task TokensVerify_NamesTheServerItAsked()
    {
        ConsoleResult json = await ConsoleRunner.RunAsync("tokens", "verify", "--text", "Hello", "--json");
        ConsoleResult human = await ConsoleRunner.RunAsync("tokens", "verify", "--text", "Hello");

        Assert.Equal("the built-in emulator", json.Json().GetProperty("server").GetString());
        Assert.Contains("matches the built-in emulator's", human.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Groq's", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StressReport_ListsFallbacksRetriesCacheHitsAndServer429s()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(
            "stress", "rate-limit", "--requests", "3", "--concurrency", "3", "--max-tokens", "20", "--prompt-words", "10", "--json",
            "--emulator-fault", "503;model=llama-3.1-8b-instant");

        Assert.Equal(0, result.ExitCode);
        JsonElement json = result.Json();
        Assert.Equal(3, json.GetProperty("succeeded").GetInt32());

        // The library's default chain (llama-3.1-8b-instant → openai/gpt-oss-20b) answered every one, after the retries.
        Assert.Equal(3, json.GetProperty("fallbacks").GetInt32());
        Assert.Equal(0, json.GetProperty("cache_hits").GetInt32());
        Assert.True(json.GetProperty("retries").GetInt64() >= 3);
        Assert.Equal(0, json.GetProperty("server_429s").GetInt64());
    }

    /// <summary>A key and an endpoint where nothing listens, with retries that do not wait.</summary>
    private static Dictionary<string, string?> DeadEndpoint(int port) => new()
    {
        ["Groq:ApiKey"] = "gsk_deaddeaddeaddeaddeaddead1234",
        ["Groq:BaseUrl"] = $"http://127.0.0.1:{port}/openai/v1",
        ["Groq:Resilience:UseJitter"] = "false",
        ["Groq:Resilience:BaseDelay"] = "1ms",
    };

    private static Task<GroqEmulator> StartEmulatorAsync()
        => GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, Ct);

    private string CopyEnvExample(params (string Name, string Value)[] values)
    {
        string text = File.ReadAllText(Repository.File(".env.example"));
        foreach ((string name, string value) in values)
        {
            Assert.Contains($"\n{name}=\n", text, StringComparison.Ordinal);
            text = text.Replace($"\n{name}=\n", $"\n{name}={value}\n", StringComparison.Ordinal);
        }

        return Write(".env", text);
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
