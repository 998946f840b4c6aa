using System.Globalization;
using SkGroq.Context;
using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <content>Joining the queue, the pump that serves its head, and the ways a waiter leaves (admitted, cancelled, deadline).</content>
internal sealed partial class QuotaLimiter
{
    private static readonly TimeSpan s_maxTimerDue = TimeSpan.FromDays(30);

    private ValueTask<QuotaLease> PeekThenEnqueue(
        QuotaQueue queue,
        QuotaRequest request,
        GroqPriority priority,
        DateTimeOffset deadline,
        IProgress<GroqRequestStatus>? status,
        CancellationToken cancellationToken)
    {
        // Someone is ahead: check what the request faces alone — a lower bound of its wait — so a request that can never
        // fit, or cannot fit before its deadline, fails now instead of at its deadline.
        ValueTask<QuotaDecision> peek = _store.PeekAsync(queue.Key, request, cancellationToken);
        return peek.IsCompletedSuccessfully
            ? Enqueue(queue, request, priority, deadline, status, peek.Result, cancellationToken)
            : PeekThenEnqueueAsync(queue, request, priority, deadline, status, peek, cancellationToken);
    }

    private async ValueTask<QuotaLease> PeekThenEnqueueAsync(
        QuotaQueue queue,
        QuotaRequest request,
        GroqPriority priority,
        DateTimeOffset deadline,
        IProgress<GroqRequestStatus>? status,
        ValueTask<QuotaDecision> peek,
        CancellationToken cancellationToken)
    {
        QuotaDecision decision = await peek.ConfigureAwait(false);
        return await Enqueue(queue, request, priority, deadline, status, decision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fails at once when waiting cannot help, else adds a waiter and returns its task itself (no wrapping state machine).</summary>
    private ValueTask<QuotaLease> Enqueue(
        QuotaQueue queue,
        QuotaRequest request,
        GroqPriority priority,
        DateTimeOffset deadline,
        IProgress<GroqRequestStatus>? status,
        QuotaDecision decision,
        CancellationToken cancellationToken)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        string model = queue.Key.Model;
        if (decision.Kind == QuotaDecisionKind.NeverFits)
        {
            return ValueTask.FromException<QuotaLease>(QuotaErrors.TooLarge(model, decision.Limit, decision.LimitValue ?? 0, decision.Requested));
        }

        DateTimeOffset? freesAt = decision.Kind == QuotaDecisionKind.MustWait ? Add(now, decision.RetryAfter) : null;
        if (freesAt > deadline || deadline <= now)
        {
            return ValueTask.FromException<QuotaLease>(QuotaErrors.Timeout(model, decision.Limit, decision.LimitValue, decision.Requested, TimeSpan.Zero, freesAt, now));
        }

        var waiter = new QuotaWaiter(queue, request, priority, deadline, status, _timeProvider.GetTimestamp(), cancellationToken)
        {
            Binding = decision.Kind == QuotaDecisionKind.MustWait ? decision.Limit : GroqLimitKind.Unknown,
            BindingValue = decision.LimitValue,
            Requested = decision.Requested,
            FreesAt = freesAt,
        };

        int ahead;
        lock (queue.Lock)
        {
            if (_disposed)
            {
                return ValueTask.FromException<QuotaLease>(new ObjectDisposedException(nameof(QuotaLimiter)));
            }

            if (queue.Count >= _maxQueueLength)
            {
                return ValueTask.FromException<QuotaLease>(QuotaErrors.QueueFull(model, _maxQueueLength));
            }

            ahead = queue.Add(waiter);
        }

        // The deadline timer first: a token cancelled already runs Cancel inline, which disposes it.
        if (deadline - now <= s_maxTimerDue)
        {
            waiter.DeadlineTimer = _timeProvider.CreateTimer(static state => ((QuotaWaiter)state!).Queue.Limiter.Expire((QuotaWaiter)state!), waiter, deadline - now, Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static state => ((QuotaWaiter)state!).Queue.Limiter.Cancel((QuotaWaiter)state!), waiter);
        }

        Report(waiter, decision.Kind == QuotaDecisionKind.MustWait ? decision.RetryAfter : null, ahead);
        SchedulePump(queue);
        return new ValueTask<QuotaLease>(waiter.Task);
    }

    private void SchedulePump(QuotaQueue queue)
    {
        lock (queue.Lock)
        {
            if (queue.Pumping)
            {
                queue.PumpRequested = true;
                return;
            }

            queue.Pumping = true;
            queue.PumpRequested = false;
        }

        // With the in-memory store this runs to completion synchronously; waiters' continuations run asynchronously.
        _ = PumpAsync(queue);
    }

    private async Task PumpAsync(QuotaQueue queue)
    {
        while (true)
        {
            QuotaWaiter? head;
            lock (queue.Lock)
            {
                head = _disposed ? null : queue.Head;
                if (head is null)
                {
                    queue.Pumping = false;
                    return;
                }

                queue.PumpRequested = false;
            }

            QuotaDecision decision;
            try
            {
                decision = await _store.TryReserveAsync(queue.Key, head.Request, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The store failed (e.g. a shared store is unreachable): the waiter gets the error instead of hanging.
                if (Leave(head))
                {
                    head.TrySetException(ex);
                }

                continue;
            }

            if (decision.IsAdmitted)
            {
                if (Leave(head))
                {
                    head.TrySetResult(new QuotaLease(this, queue, decision.Reservation, _timeProvider.GetElapsedTime(head.EnqueuedAt), head.Binding));
                }
                else
                {
                    // Cancelled or expired while the store answered: give the reservation back.
                    await _store.ReleaseAsync(decision.Reservation, CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            DateTimeOffset now = _timeProvider.GetUtcNow();
            if (decision.Kind == QuotaDecisionKind.NeverFits)
            {
                // Limits learnt while waiting can shrink below the request.
                if (Leave(head))
                {
                    head.TrySetException(QuotaErrors.TooLarge(queue.Key.Model, decision.Limit, decision.LimitValue ?? 0, decision.Requested));
                }

                continue;
            }

            DateTimeOffset freesAt = Add(now, decision.RetryAfter);
            if (freesAt > head.Deadline)
            {
                if (Leave(head))
                {
                    head.TrySetException(QuotaErrors.Timeout(queue.Key.Model, decision.Limit, decision.LimitValue, decision.Requested, _timeProvider.GetElapsedTime(head.EnqueuedAt), freesAt, now));
                }

                continue;
            }

            bool report;
            lock (queue.Lock)
            {
                if (queue.PumpRequested || !head.InQueue)
                {
                    continue;
                }

                report = head.Binding != decision.Limit || head.FreesAt is not { } previous || (freesAt - previous).Duration() > TimeSpan.FromSeconds(1);
                head.Binding = decision.Limit;
                head.BindingValue = decision.LimitValue;
                head.Requested = decision.Requested;
                head.FreesAt = freesAt;
            }

            // Armed outside the lock and while this pump still owns the queue (Pumping): a TimeProvider may run due callbacks
            // inline when a timer is created (FakeTimeProvider does), and any wake-up they ask for must make this pump look again,
            // not be dropped when it lets go. Only the owning pump touches the timer.
            ArmTimer(queue, decision.RetryAfter);
            lock (queue.Lock)
            {
                if (queue.PumpRequested)
                {
                    continue;
                }

                queue.Pumping = false;
            }

            if (report)
            {
                Report(head, decision.RetryAfter, 0);
            }

            return;
        }
    }

    private void ArmTimer(QuotaQueue queue, TimeSpan wait)
    {
        // A new timer rather than Change: the pump often runs inside the old timer's own callback.
        queue.Timer?.Dispose();
        queue.Timer = _timeProvider.CreateTimer(static state => ((QuotaQueue)state!).Limiter.SchedulePump((QuotaQueue)state!), queue, TimerDue(wait), Timeout.InfiniteTimeSpan);
    }

    private static bool Leave(QuotaWaiter waiter)
    {
        bool removed;
        lock (waiter.Queue.Lock)
        {
            removed = waiter.Queue.Remove(waiter);
        }

        if (removed)
        {
            waiter.DetachCallbacks();
        }

        return removed;
    }

    private void Cancel(QuotaWaiter waiter)
    {
        bool wasHead;
        lock (waiter.Queue.Lock)
        {
            wasHead = ReferenceEquals(waiter.Queue.Head, waiter);
            if (!waiter.Queue.Remove(waiter))
            {
                return;
            }
        }

        waiter.DeadlineTimer?.Dispose();
        waiter.TrySetCanceled(waiter.CancellationToken);
        if (wasHead)
        {
            // The next request may fit where this one did not.
            WakeIfWaiting(waiter.Queue);
        }
    }

    private void Expire(QuotaWaiter waiter)
    {
        bool wasHead;
        int ahead = 0;
        lock (waiter.Queue.Lock)
        {
            wasHead = ReferenceEquals(waiter.Queue.Head, waiter);
            for (QuotaWaiter? w = waiter.Previous; w is not null; w = w.Previous)
            {
                ahead++;
            }

            if (!waiter.Queue.Remove(waiter))
            {
                return;
            }
        }

        waiter.DetachCallbacks();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        waiter.TrySetException(QuotaErrors.Timeout(
            waiter.Queue.Key.Model,
            wasHead ? waiter.Binding : (waiter.FreesAt > now ? waiter.Binding : GroqLimitKind.Unknown),
            waiter.BindingValue,
            waiter.Requested,
            _timeProvider.GetElapsedTime(waiter.EnqueuedAt),
            waiter.FreesAt > now ? waiter.FreesAt : null,
            now,
            ahead));
        if (wasHead)
        {
            WakeIfWaiting(waiter.Queue);
        }
    }

    private static void Report(QuotaWaiter waiter, TimeSpan? wait, int ahead)
    {
        if (waiter.Status is not { } status)
        {
            return;
        }

        string model = waiter.Queue.Key.Model;
        string? limit = waiter.Binding == GroqLimitKind.Unknown ? null : waiter.Binding.ToDisplayName();
        string behind = ahead > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({ahead} ahead)") : string.Empty;
        string message = (wait, limit) switch
        {
            ({ } w, { } l) => string.Create(CultureInfo.InvariantCulture, $"waiting {w.TotalSeconds:0.0} s for {l} on {model}{behind}"),
            _ => $"waiting for {ahead} earlier requests on {model}",
        };
        status.Report(new GroqRequestStatus(GroqRequestPhase.Queued, model, message, wait, limit));
    }

    // Timers take at most ~49 days; a longer wait is re-evaluated when the timer fires.
    private static TimeSpan TimerDue(TimeSpan wait) => wait > s_maxTimerDue ? s_maxTimerDue : wait;

    private static DateTimeOffset Add(DateTimeOffset now, TimeSpan wait)
        => wait >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + wait;
}
