using SkGroq.Console.Chaos;
using SkGroq.Tests.Console;

namespace SkGroq.Tests.Reliability;

/// <summary>
/// The chaos soak in CI: 500 requests (half streamed) through Semantic Kernel and the full pipeline against the emulator with
/// 20% of attempts faulted (429, 498, 500, 502, 503, reset, HTML page, slow first token, stall, mid-stream error frame,
/// mid-stream disconnect). The full 5,000-request run is <c>bench chaos</c> (docs/RELIABILITY.md).
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class ChaosSoakTests
{
    [Fact]
    public async Task Soak_500RequestsAt20PercentFaults_EveryRequestEndsTypedAndInTime_NothingUnobserved_LedgerEqualsEmulator()
    {
        ChaosReport report = await new ChaosRunner(TimeProvider.System).RunAsync(new ChaosSettings(500, 0.2, Seed: 7), TestContext.Current.CancellationToken);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Violations.Concat(report.Samples)));
        Assert.Equal(500, report.Succeeded + report.Failed);
        Assert.Equal((0, 0, 0, 0L), (report.Hangs, report.Late, report.Untyped, report.UnobservedTaskExceptions));

        // The faults really happened, and some reached callers as typed errors (mid-stream faults are never retried).
        Assert.True(report.FaultsSent.Count >= 9, string.Join(", ", report.FaultsSent));
        Assert.True(report.FaultsSent.Values.Sum() >= 60, string.Join(", ", report.FaultsSent));
        Assert.True(report.Failed > 0);
        Assert.True(report.Succeeded >= 400, $"{report.Succeeded} answered");

        ChaosLedgerCheck ledger = report.Ledger;
        Assert.Equal(500, ledger.Records);
        Assert.True(ledger.CacheHits > 0);
        Assert.True(ledger.EmulatorAttempts > 500 - ledger.CacheHits, "retries sent more attempts than requests");
        Assert.Equal(ledger.EmulatorAttempts, ledger.LedgerAttempts);
        Assert.Equal(ledger.EmulatorAnswers, ledger.LedgerAnswers);
        Assert.Equal(ledger.EmulatorPromptTokens, ledger.LedgerPromptTokens);
        Assert.Equal(ledger.EmulatorCompletionTokens, ledger.LedgerCompletionTokens);
        Assert.True(ledger.LedgerPromptTokens > 0 && ledger.LedgerCompletionTokens > 0);
    }

    [Fact]
    public async Task BenchChaos_Json_ReportsTheRunAndExitsZero()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("bench", "chaos", "--requests", "40", "--fault-rate", "0.2", "--seed", "3", "--json");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        System.Text.Json.JsonElement json = result.Json();
        Assert.Equal(40, json.GetProperty("requests").GetInt32());
        Assert.True(json.GetProperty("passed").GetBoolean());
        Assert.Equal(0, json.GetProperty("hangs").GetInt32());
        Assert.Equal(0, json.GetProperty("unobserved_task_exceptions").GetInt64());
        Assert.Equal(json.GetProperty("ledger").GetProperty("emulator_prompt_tokens").GetInt64(), json.GetProperty("ledger").GetProperty("ledger_prompt_tokens").GetInt64());
        Assert.Empty(json.GetProperty("violations").EnumerateArray());
    }

    [Fact]
    public async Task BenchChaos_Table_ShowsEveryCheck()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("bench", "chaos", "--requests", "20", "--fault-rate", "0.1");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        foreach (string row in (string[])["hangs", "late", "untyped errors", "unobserved task exceptions", "prompt tokens (ledger = emulator)", "completion tokens (ledger = emulator)", "OK: every request ended in time"])
        {
            Assert.Contains(row, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--fault-rate", "1.5", "--fault-rate must be a share between 0 and 1, e.g. 0.2 for 20% (got 1.5).")]
    [InlineData("--requests", "0", "--requests must be between 1 and 1,000,000 (got 0).")]
    public async Task BenchChaos_BadArgument_ExitsWithUsageAndSaysWhatToGive(string option, string value, string message)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync("bench", "chaos", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }
}
