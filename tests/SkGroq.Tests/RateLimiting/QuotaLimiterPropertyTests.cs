using CsCheck;
using Microsoft.Extensions.Time.Testing;
using SkGroq.Context;
using SkGroq.Models;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>Property tests of the queue over random acquire, settle, release, cancel and time sequences.</summary>
public sealed class QuotaLimiterPropertyTests
{
    private static readonly QuotaKey s_key = new("org", "m");

    private static readonly Gen<ModelLimits> s_limits =
        Gen.Select(Gen.Long[1, 60].Nullable(), Gen.Long[20, 2_000].Nullable(), Gen.Long[100, 20_000], Gen.Long[1_000, 200_000].Nullable(), (rpm, rpd, tpm, tpd) => new ModelLimits(rpm, rpd, tpm, tpd));

    private static readonly Gen<Move> s_move =
        Gen.Select(Gen.Int[0, 9], Gen.Long[0, 22_000], Gen.Int[0, 1_000], Gen.Long[0, 90 * TimeSpan.TicksPerSecond], (kind, amount, pick, ticks) => new Move(kind, amount, pick, ticks));

    [Fact]
    public async Task Queue_NeverDeadlocks_NeverLosesAReservation_AndKeepsArrivalOrderWithinAPriority()
    {
        await Gen.Select(s_limits, s_move.Array[1, 80], Gen.Int[1, 40]).SampleAsync(async (limits, moves, maxQueue) =>
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
            var store = new InMemoryQuotaStore(time);
            using var limiter = new QuotaLimiter(store, time, maxQueue);
            var pending = new List<Pending>();
            var held = new List<QuotaLease>();
            var admitted = new List<(int Arrival, GroqPriority Priority, long Id)>();
            int arrivals = 0;

            async Task HarvestAsync()
            {
                for (int i = pending.Count - 1; i >= 0; i--)
                {
                    Pending p = pending[i];
                    if (!p.Task.IsCompleted)
                    {
                        continue;
                    }

                    pending.RemoveAt(i);
                    p.Cancellation.Dispose();
                    if (p.Task.IsCompletedSuccessfully)
                    {
                        QuotaLease lease = await p.Task;
                        held.Add(lease);
                        admitted.Add((p.Arrival, p.Priority, lease.Reservation.Id));
                    }
                }
            }

            foreach (Move move in moves)
            {
                switch (move.Kind)
                {
                    case <= 3:
                        var priority = (GroqPriority)(move.Pick % 2);
                        DateTimeOffset deadline = move.Pick % 3 == 0 ? DateTimeOffset.MaxValue : time.GetUtcNow() + TimeSpan.FromTicks(move.Ticks * 4);
                        var cts = new CancellationTokenSource();
                        Task<QuotaLease> task = limiter.AcquireAsync(s_key, new QuotaRequest(move.Amount, move.Amount / 2, limits), priority, deadline, null, cancellationToken: cts.Token).AsTask();
                        pending.Add(new Pending(task, cts, arrivals++, priority));
                        break;
                    case 4 or 5 when held.Count > 0:
                        QuotaLease settled = Take(held, move.Pick);
                        Assert.True(await settled.SettleAsync(Math.Min(move.Amount, settled.Reservation.Tokens * 2)));
                        break;
                    case 6 when held.Count > 0:
                        Assert.True(await Take(held, move.Pick).ReleaseAsync());
                        break;
                    case 7 when pending.Count > 0:
                        await pending[move.Pick % pending.Count].Cancellation.CancelAsync();
                        break;
                    default:
                        time.Advance(TimeSpan.FromTicks(move.Ticks));
                        break;
                }

                await HarvestAsync();
                Assert.True(limiter.GetQueueLength(s_key) <= maxQueue);
            }

            // Liveness: give everything back and let time pass; every request must end (admitted, refused, timed out or cancelled).
            for (int round = 0; round < 2_000 && pending.Count > 0; round++)
            {
                foreach (QuotaLease lease in held)
                {
                    await lease.SettleAsync(lease.Reservation.Tokens / 3);
                }

                held.Clear();
                time.Advance(TimeSpan.FromMinutes(5));
                await HarvestAsync();
            }

            Assert.Empty(pending);
            Assert.Equal(0, limiter.GetQueueLength(s_key));
            foreach (QuotaLease lease in held)
            {
                await lease.SettleAsync(0);
            }

            (long reserved, long settledTokens, long released, long inFlight) = store.GetBalance(s_key);
            Assert.Equal(0, inFlight);
            Assert.Equal(reserved, settledTokens + released);

            // First come, first served within a priority: admission ids follow arrival order.
            foreach (IGrouping<GroqPriority, (int Arrival, GroqPriority Priority, long Id)> group in admitted.GroupBy(a => a.Priority))
            {
                long[] ids = [.. group.OrderBy(a => a.Arrival).Select(a => a.Id)];
                Assert.Equal(ids.Order(), ids);
            }
        }, iter: 300);
    }

    private static QuotaLease Take(List<QuotaLease> held, int pick)
    {
        int index = pick % held.Count;
        QuotaLease lease = held[index];
        held.RemoveAt(index);
        return lease;
    }

    public sealed record Move(int Kind, long Amount, int Pick, long Ticks);

    private sealed record Pending(Task<QuotaLease> Task, CancellationTokenSource Cancellation, int Arrival, GroqPriority Priority);
}
