using System.CommandLine;
using Microsoft.Extensions.Options;
using SkGroq.Console.Output;
using SkGroq.Errors;
using Spectre.Console;

namespace SkGroq.Console.Hosting;

/// <summary>Runs a command body inside a session and turns every failure into one actionable message and an exit code.</summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="command"/>'s action.</summary>
    /// <param name="command">The command.</param>
    /// <param name="body">The command's work; returns the exit code.</param>
    /// <param name="needsServer">Whether the command talks to a server (and so may start the emulator).</param>
    /// <param name="validate">Checks the arguments before anything starts; throws <see cref="HarnessUsageException"/> with the fix.</param>
    public static void SetAction(Command command, Func<CommandContext, CancellationToken, Task<int>> body, bool needsServer = true, Action<ParseResult>? validate = null)
        => command.SetAction((parse, cancellationToken) => RunAsync(parse, body, needsServer, validate, cancellationToken));

    /// <summary>Sets <paramref name="command"/>'s action, for a command whose options decide whether it talks to a server.</summary>
    /// <param name="command">The command.</param>
    /// <param name="body">The command's work; returns the exit code.</param>
    /// <param name="needsServer">Whether this invocation talks to a server (and so may start the emulator), e.g. not with <c>--offline</c>.</param>
    public static void SetAction(Command command, Func<CommandContext, CancellationToken, Task<int>> body, Func<ParseResult, bool> needsServer)
        => command.SetAction((parse, cancellationToken) => RunAsync(parse, body, needsServer(parse), null, cancellationToken));

    /// <summary>What the console offers for a failure the library's message cannot name a command for, unless the command is that one.</summary>
    private static string? Hint(GroqException exception, string command) => exception switch
    {
        GroqConnectionException when command != "test-connection" => "test-connection checks the endpoint and the network step by step.",
        GroqModelDecommissionedException or GroqNotFoundException { ErrorCode: not "unknown_url" } when command != "models"
            => "The models command lists the models your key can use; --model picks one for a single run.",
        _ => null,
    };

    private static async Task<int> RunAsync(
        ParseResult parse,
        Func<CommandContext, CancellationToken, Task<int>> body,
        bool needsServer,
        Action<ParseResult>? validate,
        CancellationToken cancellationToken)
    {
        var output = new HarnessOutput(parse.GetValue(GlobalOptions.Json), parse.GetValue(GlobalOptions.Verbose), HarnessEnvironment.Current);
        try
        {
            validate?.Invoke(parse);
            await using HarnessSession session = await HarnessSession.StartAsync(parse, output, needsServer, cancellationToken);
            return await body(new CommandContext(parse, session, output), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Err.MarkupLine("[grey]Cancelled.[/]");
            return ExitCodes.Cancelled;
        }
        catch (OptionsValidationException ex)
        {
            output.Failure(ex);
            return ExitCodes.Configuration;
        }
        catch (HarnessUsageException ex)
        {
            output.Failure(ex);
            return ExitCodes.Usage;
        }
        catch (GroqException ex)
        {
            output.Failure(ex);
            if (!output.Json && Hint(ex, parse.CommandResult.Command.Name) is { } hint)
            {
                output.Err.MarkupLine($"[grey]{Markup.Escape(hint)}[/]");
            }

            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The process boundary: any other failure is reported as one line (trace with --verbose) and a non-zero exit code.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            output.Failure(ex);
            return ExitCodes.Failure;
        }
    }
}
