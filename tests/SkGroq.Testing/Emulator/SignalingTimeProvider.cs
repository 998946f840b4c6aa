using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace SkGroq.Tests.Emulator;

/// <summary>A <see cref="FakeTimeProvider"/> that reports each timer it creates, so a test can await "the server is now waiting" instead of sleeping or spinning.</summary>
internal sealed class SignalingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Gets or sets how much earlier than asked every timer fires, as the system's coarse timer clock sometimes does.</summary>
    public TimeSpan TimersFireEarlyBy { get; set; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime > TimersFireEarlyBy)
        {
            dueTime -= TimersFireEarlyBy;
        }

        ITimer timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _timers.Writer.TryWrite(dueTime);
        }

        return timer;
    }

    /// <summary>Waits until the code under test starts a timer; returns its due time.</summary>
    public ValueTask<TimeSpan> NextTimerAsync() => _timers.Reader.ReadAsync(TestContext.Current.CancellationToken);

    /// <summary>Waits for the next timer and moves the clock to its due time.</summary>
    public async Task<TimeSpan> AdvanceToNextTimerAsync()
    {
        TimeSpan due = await NextTimerAsync();
        Advance(due);
        return due;
    }
}
