using System.CommandLine;
using System.CommandLine.Parsing;
using SkGroq.Console.Commands;
using SkGroq.Console.Hosting;
using SkGroq.Console.Output;

namespace SkGroq.Console;

/// <summary>The console harness: the root command and its subcommands.</summary>
internal static class HarnessApp
{
    public static async Task<int> RunAsync(string[] args, HarnessEnvironment? environment = null)
    {
        environment ??= HarnessEnvironment.Default;
        using IDisposable scope = HarnessEnvironment.Use(environment);
        RootCommand root = CreateRootCommand();
        ParseResult parse = root.Parse(args);
        var invocation = new InvocationConfiguration
        {
            // Failures are reported by CommandRunner with one actionable line; System.CommandLine's handler would print stack traces.
            EnableDefaultExceptionHandler = false,
            Output = environment.Out,
            Error = environment.Err,
        };
        return parse.Errors.Count > 0 ? UsageError(parse, environment) : await parse.InvokeAsync(invocation);
    }

    /// <summary>
    /// Reports what the command line got wrong: on stderr with where to find the usage, or as one JSON error object on stdout
    /// under <c>--json</c>; exit code 2 either way.
    /// </summary>
    private static int UsageError(ParseResult parse, HarnessEnvironment environment)
    {
        string message = string.Join(" ", parse.Errors.Select(static e => e.Message));
        var output = new HarnessOutput(parse.GetValue(GlobalOptions.Json), verbose: false, environment);
        var path = new List<string>();
        for (CommandResult? command = parse.CommandResult; command?.Parent is CommandResult parent; command = parent)
        {
            path.Insert(0, command.Command.Name);
        }

        path.Add("--help");
        output.Failure(new HarnessUsageException($"{message} Run '{string.Join(' ', path)}' for the options."));
        return ExitCodes.Usage;
    }

    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("SkGroq harness: Groq through Semantic Kernel and the SkGroq pipeline (rate limiting, usage, caching, resilience). Without GROQ_API_KEY it runs against the built-in emulator.");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(TestConnectionCommand.Create());
        root.Subcommands.Add(TestStreamCommand.Create());
        root.Subcommands.Add(ChatCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(AskCommand.Create());
        root.Subcommands.Add(KbCommand.Create());
        root.Subcommands.Add(PluginCommand.Create());
        root.Subcommands.Add(TokensCommand.Create());
        root.Subcommands.Add(UsageCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(StressCommand.Create());
        return root;
    }
}
