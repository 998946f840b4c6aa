using SkGroq.Context;
using SkGroq.Emulator.Faults;
using SkGroq.Tests.Resilience;

namespace SkGroq.Tests.RateLimiting;

/// <summary>End to end against the emulator on a shared fake clock: a retry after a 429 follows the server's word.</summary>
public sealed class ServerWordTests
{
    [Fact]
    public async Task RecordedTpm429_TheRetryGoesAtTheServersWait_NotWhenTheLocalBucketRefills()
    {
        // Recorded: retry-after 1, "Requested 400 … try again in 1s", 41 tokens left of 6,000 with a 59.59s reset. The request
        // sets no max tokens. Before, the retry reserved prompt + 1,024 and waited ~10 s for the local bucket.
        await using ResilienceHarness h = await ResilienceHarness.StartAsync();
        h.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.RateLimitTokensPerMinute));
        DateTimeOffset start = h.Time.GetUtcNow();

        RunResult<string> run = await h.StreamAsync(maxTokens: null);

        Assert.False(string.IsNullOrEmpty(run.Succeeds()));
        Assert.Equal([TimeSpan.FromSeconds(1)], run.Delays);
        Assert.DoesNotContain(run.Statuses, s => s.Phase == GroqRequestPhase.Queued);

        // The test emulator answers at once on the same clock: the whole request took the server's wait, within 10 %.
        TimeSpan elapsed = h.Time.GetUtcNow() - start;
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1));
        Assert.Equal(2, h.Requests(ResilienceHarness.Primary));
    }
}
