using System.CommandLine;

namespace SkGroq.Console.Commands;

/// <summary><c>bench</c>: benchmarks of the pipeline against the emulator. Each scenario is a subcommand (<c>bench load</c>, <c>bench chaos</c>, …).</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Benchmarks of the SkGroq pipeline against the Groq emulator (in-process, or for 'bench load' a standalone one at GROQ_BASE_URL; never api.groq.com).")
    {
        BenchLoadCommand.Create(),
        BenchChaosCommand.Create(),
        BenchKbCommand.Create(),
        BenchWebCommand.Create(),
    };
}
