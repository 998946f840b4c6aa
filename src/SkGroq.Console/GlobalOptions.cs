using System.CommandLine;

namespace SkGroq.Console;

/// <summary>Options every command accepts (declared once on the root command, recursive).</summary>
internal static class GlobalOptions
{
    public static Option<string?> BaseUrl { get; } = new("--base-url")
    {
        Description = "The OpenAI-compatible endpoint (default: GROQ_BASE_URL, then https://api.groq.com/openai/v1).",
        Recursive = true,
    };

    public static Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "The model (default: GROQ_MODEL, then Groq:Model in appsettings.json).",
        Recursive = true,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON object (snake_case fields) instead of human output.",
        Recursive = true,
    };

    public static Option<bool> Emulator { get; } = new("--emulator")
    {
        Description = "Use the built-in Groq emulator even when a key is configured.",
        Recursive = true,
    };

    public static Option<string[]> EmulatorFault { get; } = new("--emulator-fault")
    {
        Description = "Run against the built-in emulator with this fault rule, e.g. \"503;model=llama-3.3-70b-versatile\" (the model answers 503, so the fallback answers) or \"500;times=1\"; repeat for several. Implies --emulator.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show debug logs and stack traces.",
        Recursive = true,
    };

    public static Option<string?> Otel { get; } = new("--otel")
    {
        Description = "Export the pipeline's traces: console (spans printed after the command) or otlp (to OTEL_EXPORTER_OTLP_ENDPOINT, default http://localhost:4317).",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(Otel);
        root.Options.Add(BaseUrl);
        root.Options.Add(Model);
        root.Options.Add(Json);
        root.Options.Add(Emulator);
        root.Options.Add(EmulatorFault);
        root.Options.Add(Verbose);
    }
}
