using System.Text.Json;

namespace SkGroq.Tests.Console;

/// <summary><c>bench web</c> in-process: a tiny run checks that every session's request ends with its usage record and that the report reads the process (never its timings).</summary>
public sealed class BenchWebCommandTests
{
    [Fact]
    public async Task BenchWeb_Json_EverySessionEnds_LeaversAreCancelled_AndTheProcessIsRead()
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(
            "bench", "web", "--json", "--sessions", "6", "--rounds", "2", "--answer-words", "200", "--ttft-ms", "0", "--tokens-per-second", "100", "--settle", "0");

        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        JsonElement json = result.Json();
        Assert.True(json.GetProperty("all_ended").GetBoolean());
        JsonElement[] rounds = [.. json.GetProperty("rounds").EnumerateArray()];
        Assert.Equal(2, rounds.Length);
        Assert.All(rounds, round =>
        {
            Assert.Equal(6, round.GetProperty("upstream_requests").GetInt64());
            Assert.Equal(6, round.GetProperty("usage_records").GetInt64());
            Assert.Equal(0, round.GetProperty("in_flight_after").GetInt32());
            Assert.Equal(2, round.GetProperty("disconnected").GetInt32());
            Assert.Equal(2, round.GetProperty("cancelled").GetInt32());
            Assert.True(round.GetProperty("after").GetProperty("open_descriptors").GetInt32() > 0);
        });
        Assert.True(json.GetProperty("settled").GetProperty("managed_heap_mb").GetDouble() > 0);
    }

    [Theory]
    [InlineData(new[] { "bench", "web", "--sessions", "0" }, "--sessions must be 1 to 5,000")]
    [InlineData(new[] { "bench", "web", "--settle", "-1" }, "--settle must be between 0 and 3,600")]
    public async Task BenchWeb_BadArguments_ExitWithUsageCodeAndSayWhatToDo(string[] args, string expected)
    {
        ConsoleResult result = await ConsoleRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
    }
}
