using System.Text.Json;
using SkGroq.Console;
using SkGroq.Console.Hosting;
using SkGroq.Emulator;

namespace SkGroq.Tests.Console;

/// <summary>Runs console commands in-process with captured output and isolated configuration (no .env, user secrets or environment).</summary>
internal static class ConsoleRunner
{
    public static Task<ConsoleResult> RunAsync(IReadOnlyDictionary<string, string?>? configuration, string? stdin, params string[] args)
        => RunWithDotEnvAsync(null, configuration, stdin, args);

    /// <summary>Runs a command that also reads a <c>.env</c> file, as the console does from its working directory.</summary>
    public static async Task<ConsoleResult> RunWithDotEnvAsync(string? dotEnvPath, IReadOnlyDictionary<string, string?>? configuration, string? stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var environment = new HarnessEnvironment
        {
            Out = stdout,
            Err = stderr,
            In = new StringReader(stdin ?? string.Empty),
            Isolated = true,
            DotEnvPath = dotEnvPath,
            Configuration = new Dictionary<string, string?>(configuration ?? new Dictionary<string, string?>())
            {
                // Never write to the developer's real usage ledger from tests.
                ["Groq:Usage:Persist"] = configuration?.GetValueOrDefault("Groq:Usage:Persist") ?? "false",
            },
        };
        int exitCode = await HarnessApp.RunAsync(args, environment);
        return new ConsoleResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public static Task<ConsoleResult> RunAsync(params string[] args) => RunAsync(null, null, args);

    public static Dictionary<string, string?> For(GroqEmulator emulator, string? key = null) => new()
    {
        ["Groq:ApiKey"] = key ?? emulator.ApiKey,
        ["Groq:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
    };
}

internal sealed record ConsoleResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json()
    {
        using JsonDocument document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }
}
