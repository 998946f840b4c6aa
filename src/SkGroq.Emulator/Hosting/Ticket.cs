using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.RateLimits;

namespace SkGroq.Emulator.Hosting;

/// <summary>An admitted request's reservation: settled once, to the tokens charged (or to nothing).</summary>
internal sealed class Ticket(ModelQuota quota, UsageCounters counters, long reservedTokens, int promptTokens)
{
    private int _settled;

    public int PromptTokens { get; } = promptTokens;

    public UsageCounters Counters { get; } = counters;

    /// <summary>Replaces the reservation by the actual use and records the charge.</summary>
    /// <param name="state">The emulator.</param>
    /// <param name="charged">Whether tokens are charged (false: refunded, e.g. an incomplete stream).</param>
    /// <param name="completionTokens">The completion tokens charged.</param>
    public void Settle(EmulatorState state, bool charged, int completionTokens)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return;
        }

        long actual = charged ? PromptTokens + (long)completionTokens : 0;
        quota.Settle(reservedTokens, actual, state.Limiter.Now);
        if (charged)
        {
            Counters.Charge(PromptTokens, completionTokens);
        }
    }
}
