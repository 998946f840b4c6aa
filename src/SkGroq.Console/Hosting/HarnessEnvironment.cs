namespace SkGroq.Console.Hosting;

/// <summary>
/// What a command runs against: its console streams and extra configuration. The process uses <see cref="Default"/>;
/// tests run commands in-process with their own writers and settings instead of mutating the process environment.
/// </summary>
internal sealed class HarnessEnvironment
{
    private static readonly AsyncLocal<HarnessEnvironment?> s_current = new();

    /// <summary>Gets the process's console and no extra configuration.</summary>
    public static HarnessEnvironment Default { get; } = new()
    {
        Out = System.Console.Out,
        Err = System.Console.Error,
        In = System.Console.In,
        OutRedirected = System.Console.IsOutputRedirected,
        ErrRedirected = System.Console.IsErrorRedirected,
    };

    /// <summary>Gets the environment of the command running in this async flow.</summary>
    public static HarnessEnvironment Current => s_current.Value ?? Default;

    public required TextWriter Out { get; init; }

    public required TextWriter Err { get; init; }

    public TextReader In { get; init; } = TextReader.Null;

    public bool OutRedirected { get; init; } = true;

    public bool ErrRedirected { get; init; } = true;

    /// <summary>Gets a value indicating whether user secrets, <c>.env</c> and environment variables are ignored (tests: a developer's real key must not leak in).</summary>
    public bool Isolated { get; init; }

    /// <summary>Gets a <c>.env</c> file read even when <see cref="Isolated"/> (tests of the file itself), before <see cref="Configuration"/>.</summary>
    public string? DotEnvPath { get; init; }

    /// <summary>Gets configuration applied after every other source but before command-line options (e.g. a key and base URL in tests).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    internal static IDisposable Use(HarnessEnvironment environment)
    {
        HarnessEnvironment? previous = s_current.Value;
        s_current.Value = environment;
        return new Restore(previous);
    }

    private sealed class Restore(HarnessEnvironment? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
