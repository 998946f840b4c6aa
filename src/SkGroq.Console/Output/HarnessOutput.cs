using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SkGroq.Console.Hosting;
using SkGroq.Errors;
using Spectre.Console;

namespace SkGroq.Console.Output;

/// <summary>Where a command writes: human output through Spectre.Console, or exactly one JSON object on stdout; notices and errors on stderr.</summary>
internal sealed class HarnessOutput
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    private readonly TextWriter _stdout;

    public HarnessOutput(bool json, bool verbose, HarnessEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        Json = json;
        Verbose = verbose;
        _stdout = environment.Out;
        Out = CreateConsole(_stdout, environment.OutRedirected);
        Err = CreateConsole(environment.Err, environment.ErrRedirected);
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),

            // Files, pipes and CI logs get plain text: no escape codes for programs and grep to trip over.
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected)
        {
            // Redirected output (files, pipes, CI logs) is read by programs and grep: never wrap a message mid-line.
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>Gets a value indicating whether the command prints one JSON object.</summary>
    public bool Json { get; }

    /// <summary>Gets a value indicating whether debug logs and stack traces are shown.</summary>
    public bool Verbose { get; }

    /// <summary>Gets the human output console (stdout).</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Gets the console for notices and errors (stderr), so JSON on stdout stays one object.</summary>
    public IAnsiConsole Err { get; }

    /// <summary>Writes raw text to stdout as it arrives (streamed tokens), unless in JSON mode.</summary>
    public void WriteText(string text)
    {
        if (!Json)
        {
            _stdout.Write(text);
            _stdout.Flush();
        }
    }

    /// <summary>Writes the command's JSON result.</summary>
    public void WriteJson<T>(T value)
    {
        _stdout.WriteLine(JsonSerializer.Serialize(value, s_json));
        _stdout.Flush();
    }

    /// <summary>Writes a one-line notice to stderr.</summary>
    public void Notice(string text) => Err.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");

    /// <summary>Writes a dim status line to stderr (progress, waits), unless in JSON mode.</summary>
    public void Status(string text)
    {
        if (!Json)
        {
            Err.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
        }
    }

    /// <summary>Reports a failure: one actionable message (stack trace with --verbose); in JSON mode as <c>{"ok":false,"error":{"code":…,"message":…}}</c>.</summary>
    public void Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        (string kind, string message, string? requestId) = exception switch
        {
            GroqException groq => (groq.Kind, groq.Message, groq.RequestId),
            OptionsValidationException options => ("configuration", ConfigurationMessage(options.Failures), null),
            HarnessUsageException usage => ("usage", usage.Message, null),
            _ => ("unexpected", exception.Message, null),
        };

        if (Json)
        {
            WriteJson(new { Ok = false, Error = new { Code = kind, Message = message, RequestId = requestId } });
        }

        Err.MarkupLine($"[red]{Markup.Escape(message)}[/]");
        if (requestId is not null)
        {
            Err.MarkupLine($"[grey]request id: {Markup.Escape(requestId)}[/]");
        }

        if (Verbose)
        {
            Err.WriteException(exception);
        }
        else if (kind == "unexpected")
        {
            Err.MarkupLine("[grey]Run again with --verbose for the details.[/]");
        }
    }

    private static string ConfigurationMessage(IEnumerable<string> failures)
    {
        List<string> lines = [.. failures.Distinct(StringComparer.Ordinal)];
        return lines.Count == 1
            ? lines[0]
            : $"{lines.Count} settings need fixing:{Environment.NewLine}" + string.Join(Environment.NewLine, lines.Select(static l => "  - " + l));
    }
}
