using Microsoft.Extensions.Time.Testing;
using SkGroq.Console.Stress;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>
/// Runs a stress run on virtual time: the clock moves only while every outstanding request waits in the limiter's queue and
/// every finished one is settled, so a run of many minutes at free-plan limits takes seconds, and nothing sleeps.
/// </summary>
internal sealed class VirtualClockDriver : IProgress<RateLimitStressProgress>, IDisposable
{
    private readonly SemaphoreSlim _changed = new(0);

    /// <summary>Drives <paramref name="run"/> to completion.</summary>
    /// <param name="time">The clock shared by the emulator and the client pipeline.</param>
    /// <param name="limiter">The client's limiter (its queue lengths tell when everyone waits).</param>
    /// <param name="store">The client's store (what is still in flight: sent, or answered and not yet settled).</param>
    /// <param name="runner">The runner (its outstanding count).</param>
    /// <param name="run">The started run.</param>
    /// <param name="step">How far the clock moves while everyone waits.</param>
    /// <returns>The report.</returns>
    public async Task<RateLimitStressReport> DriveAsync(FakeTimeProvider time, QuotaLimiter limiter, DelegatingQuotaStore store, RateLimitStressRunner runner, Task<RateLimitStressReport> run, TimeSpan step)
    {
        store.Changed = () => _changed.Release();
        while (!run.IsCompleted)
        {
            if (limiter.IsPumping)
            {
                // The limiter is serving a queue on another thread right now; moving time under it would skip its wake-up.
                // This lasts microseconds (nothing to wait on but the CPU), so yield rather than block.
                await Task.Yield();
                continue;
            }

            int outstanding = runner.Outstanding;
            int queued = limiter.GetQueueLengths().Sum(q => q.Value);
            if (outstanding > 0 && queued + runner.RetryWaiting >= outstanding && store.InFlight == 0)
            {
                // Everyone waits for quota or out a retry delay, and every answer is settled: only time can help.
                time.Advance(step);
                continue;
            }

            // Something is on its way (sent, settling, or entering the queue): wait until it reports, instead of polling.
            await Task.WhenAny(run, _changed.WaitAsync(TestContext.Current.CancellationToken));
        }

        return await run;
    }

    public void Report(RateLimitStressProgress value) => _changed.Release();

    public void Dispose() => _changed.Dispose();
}
