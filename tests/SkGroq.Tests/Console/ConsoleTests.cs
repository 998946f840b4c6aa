namespace SkGroq.Tests.Console;

/// <summary>Tests that run the harness in-process redirect the process-wide console, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleTests
{
    public const string Name = "Console";
}
