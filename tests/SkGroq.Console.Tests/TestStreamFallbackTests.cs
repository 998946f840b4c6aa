using System.Text.Json;

namespace SkGroq.Tests.Console;

/// <summary>
/// <c>test-stream</c> against an emulator whose primary model answers 503 streams the fallback model's answer and says so.
/// The command runs in-process against its built-in emulator (real clock: the two backoff waits, about 1.5 s, are real).
/// </summary>
public sealed class TestStreamFallbackTests
{
    private static readonly string[] s_args = ["test-stream", "--emulator-fault", "503;model=llama-3.3-70b-versatile", "--model", "llama-3.3-70b-versatile", "--prompt", "What is the capital of France?"];

    [Fact]
    public async Task TestStream_PrimaryAnswers503_StreamsTheFallbackAnswer_AndSaysSo()
    {
        (int exit, string stdout, string stderr) = await RunAsync(s_args);

        Assert.Equal(0, exit);
        Assert.Contains("llama-3.3-70b-versatile unavailable (503 over capacity); answered by llama-3.1-8b-instant", stdout, StringComparison.Ordinal);
        Assert.Contains("with injected faults: 503;model=llama-3.3-70b-versatile", stderr, StringComparison.Ordinal);
        Assert.Contains("llama-3.3-70b-versatile failed (503 over capacity); retrying in", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestStream_Json_NamesTheModelThatAnsweredAndTheOneAsked()
    {
        (int exit, string stdout, _) = await RunAsync([.. s_args, "--json"]);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("llama-3.1-8b-instant", root.GetProperty("model").GetString());
        Assert.Equal("llama-3.3-70b-versatile", root.GetProperty("model_requested").GetString());
        Assert.Equal("llama-3.3-70b-versatile", root.GetProperty("fallback_from").GetString());
        Assert.Equal("503 over capacity", root.GetProperty("fallback_reason").GetString());
        Assert.NotEmpty(root.GetProperty("text").GetString()!);
        Assert.True(root.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
    }

    [Fact]
    public async Task TestStream_Failure_PrintsOnlyTheActionableMessage()
    {
        (int exit, string stdout, string stderr) = await RunAsync(["test-stream", "--emulator-fault", "403", "--model", "openai/gpt-oss-20b"]);

        Assert.Equal(1, exit);
        Assert.Contains("A proxy in front of Groq blocked the request (403, \"error code: 1010\"); this happens to some default User-Agents. Set Groq:UserAgent to a real product name.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("A proxy", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestStream_Failure_Verbose_AddsTheStackTrace()
    {
        (int exit, _, string stderr) = await RunAsync(["test-stream", "--emulator-fault", "403", "--model", "openai/gpt-oss-20b", "--verbose"]);

        Assert.Equal(1, exit);
        Assert.Contains("GroqPermissionDeniedException", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestStream_InvalidFaultRule_IsAUsageError()
    {
        (int exit, _, string stderr) = await RunAsync(["test-stream", "--emulator-fault", "504"]);

        Assert.Equal(2, exit);
        Assert.Contains("--emulator-fault: '504' is not a fault.", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(args);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
