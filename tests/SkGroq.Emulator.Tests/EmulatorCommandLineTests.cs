using SkGroq.Emulator;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Hosting;
using SkGroq.Models;

namespace SkGroq.Tests.Emulator;

public sealed class EmulatorCommandLineTests
{
    [Fact]
    public void TryParse_ReadsEveryOption()
    {
        string? error = EmulatorCommandLine.TryParse(
            ["--port", "9000", "--keys", "gsk_a,gsk_b", "--tier", "developer", "--ttft-ms", "0", "--tokens-per-second", "0", "--seed", "3",
             "--limits", "llama-3.1-8b-instant:rpm=5,tpm=1000", "--fault", "503;probability=0.1", "--no-rate-limits", "--reject-stream-options",
             "--finish-chunk-usage-only", "--charge-incomplete", "--lenient", "--omitted-max-tokens-reservation", "256", "--region", "fra"],
            out GroqEmulatorOptions options,
            out bool help);

        Assert.Null(error);
        Assert.False(help);
        Assert.Equal(9000, options.Port);
        Assert.Equal(["gsk_a", "gsk_b"], options.ApiKeys);
        Assert.Equal(GroqTier.Developer, options.Tier);
        Assert.Equal(TimeSpan.Zero, options.TimeToFirstToken);
        Assert.Equal(0, options.TokensPerSecond);
        Assert.Equal(3, options.Seed);
        Assert.Equal(new ModelLimits(5, null, 1000, null), options.Limits["llama-3.1-8b-instant"]);
        Assert.Equal(EmulatorFaultKind.ServiceUnavailable, Assert.Single(options.Faults).Fault.Kind);
        Assert.False(options.EnforceRateLimits);
        Assert.False(options.Behavior.AcceptStreamOptions);
        Assert.False(options.Behavior.UsageOnFinishChunk);
        Assert.True(options.Behavior.ChargeIncompleteStreams);
        Assert.False(options.Behavior.RejectUnknownProperties);
        Assert.Equal(256, options.Behavior.OmittedMaxTokensReservation);
        Assert.Equal("fra", options.Region);
    }

    [Theory]
    [InlineData("--port", "99999")]
    [InlineData("--tier", "gold")]
    [InlineData("--limits", "llama:rpm=x")]
    [InlineData("--fault", "teapot")]
    [InlineData("--bogus", "1")]
    public void TryParse_InvalidInput_SaysWhatIsWrong(string name, string value)
    {
        string? error = EmulatorCommandLine.TryParse([name, value], out _, out _);

        Assert.NotNull(error);
        Assert.Contains(name == "--bogus" ? "--help" : name, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ConfigFile_IsReadAndTheCommandLineWins()
    {
        string path = Path.Combine(Path.GetTempPath(), $"emulator-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "port": 7000, "keys": ["gsk_file"], "ttft-ms": 5, "fault": ["500;every=2"], "lenient": true }""");
        try
        {
            string? error = EmulatorCommandLine.TryParse(["--config", path, "--port", "7001"], out GroqEmulatorOptions options, out _);

            Assert.Null(error);
            Assert.Equal(7001, options.Port);
            Assert.Equal(["gsk_file"], options.ApiKeys);
            Assert.Equal(TimeSpan.FromMilliseconds(5), options.TimeToFirstToken);
            Assert.Equal(2, Assert.Single(options.Faults).Every);
            Assert.False(options.Behavior.RejectUnknownProperties);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryParse_Help_AsksForUsage()
    {
        string? error = EmulatorCommandLine.TryParse(["--help"], out _, out bool help);

        Assert.Null(error);
        Assert.True(help);
    }
}
