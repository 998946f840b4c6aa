namespace SkGroq.Tests.Console;

/// <summary>Runs alone: the console exporter writes to the process's <see cref="System.Console.Out"/>, which one test swaps.</summary>
[CollectionDefinition(nameof(ProcessConsoleTests), DisableParallelization = true)]
public sealed class ProcessConsoleTests;

[Collection(nameof(ProcessConsoleTests))]
public sealed class OtelOptionTests
{
    [Theory]
    [InlineData("jaeger", "--otel 'jaeger' is not an exporter. Use console or otlp.")]
    [InlineData("console", "--otel console prints spans on stdout, where --json prints its one object.")]
    public async Task Otel_BadChoice_ExitsWithUsageAndSaysWhatToUse(string exporter, string expected)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("models", "--offline", "--otel", exporter, "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Otel_Console_ThePipelinesSpansArePrintedAfterTheCommand()
    {
        var stdout = new StringWriter();
        TextWriter original = System.Console.Out;
        System.Console.SetOut(stdout);
        ConsoleResult result;
        try
        {
            result = await ConsoleRunner.RunAsync("test-stream", "--prompt", "Hi", "--otel", "console");
        }
        finally
        {
            System.Console.SetOut(original);
        }

        Assert.Equal(0, result.ExitCode);
        string spans = stdout.ToString();
        Assert.Contains("Activity.DisplayName:        chat llama-3.1-8b-instant", spans, StringComparison.Ordinal);
        Assert.Contains("gen_ai.provider.name: groq", spans, StringComparison.Ordinal);
        Assert.Contains("Name: SkGroq", spans, StringComparison.Ordinal);
    }
}
