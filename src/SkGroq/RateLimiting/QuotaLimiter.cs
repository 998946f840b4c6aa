using System.Collections.Concurrent;
using SkGroq.Context;
using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>
/// The request queue in front of an <see cref="IQuotaStore"/>: a request waits asynchronously until its reservation fits,
/// interactive before background and first come first served within a priority, until its deadline.
/// </summary>
/// <remarks>
/// <para>Fast path: when nobody of the same or a higher priority waits and the store admits at once, <see cref="AcquireAsync"/>
/// completes synchronously without allocating. Otherwise the request joins the model's queue; the head of the queue is
/// retried when a reservation is settled or released, when the store reports quota freed elsewhere, and by a timer at the
/// time the binding limit frees — never by polling. A large request at the head blocks smaller ones behind it, so it is not starved.</para>
/// <para>Failing fast: a request larger than a limit fails at once (<see cref="GroqRequestTooLargeException"/>); one whose
/// limit frees only after its deadline fails at once with <see cref="GroqRateLimitReason.RateLimitTimeout"/> (a daily limit
/// reports when it frees instead of waiting); one still waiting at its deadline fails then. Cancellation removes a waiter at
/// once; disposal fails every waiter.</para>
/// </remarks>
internal sealed partial class QuotaLimiter : IDisposable
{
    private readonly ConcurrentDictionary<QuotaKey, QuotaQueue> _queues = new();
    private readonly IQuotaStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxQueueLength;
    private readonly IDisposable _freedRegistration;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="QuotaLimiter"/> class.</summary>
    /// <param name="store">Where the quota lives.</param>
    /// <param name="timeProvider">The clock for deadlines, wake-up timers and wait times.</param>
    /// <param name="maxQueueLength">The most requests that may wait per organization and model.</param>
    public QuotaLimiter(IQuotaStore store, TimeProvider timeProvider, int maxQueueLength)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxQueueLength);
        _store = store;
        _timeProvider = timeProvider;
        _maxQueueLength = maxQueueLength;
        _freedRegistration = store.RegisterFreedCallback(OnFreedElsewhere);
    }

    /// <summary>Gets the store.</summary>
    public IQuotaStore Store => _store;

    /// <summary>Gets the number of requests waiting for a key.</summary>
    /// <param name="key">The organization and model.</param>
    /// <returns>The queue length.</returns>
    public int GetQueueLength(QuotaKey key) => _queues.TryGetValue(key, out QuotaQueue? queue) ? queue.Count : 0;

    /// <summary>Gets the queue length of every key that has had a queue.</summary>
    /// <returns>The keys and lengths.</returns>
    public IEnumerable<KeyValuePair<QuotaKey, int>> GetQueueLengths()
    {
        foreach (KeyValuePair<QuotaKey, QuotaQueue> pair in _queues)
        {
            yield return new(pair.Key, pair.Value.Count);
        }
    }

    /// <summary>Gets a value indicating whether a queue is being served right now (for drivers of virtual time in tests).</summary>
    internal bool IsPumping
    {
        get
        {
            foreach (QuotaQueue queue in _queues.Values)
            {
                lock (queue.Lock)
                {
                    if (queue.Pumping)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>Waits until the request's reservation fits, then holds it.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="request">The tokens and configured limits.</param>
    /// <param name="priority">The queue priority.</param>
    /// <param name="deadline">The request's deadline: a request that cannot be admitted before it fails with <see cref="GroqRateLimitReason.RateLimitTimeout"/>.</param>
    /// <param name="status">Receives "waiting 3.2 s for tokens/minute on …" reports while the request waits.</param>
    /// <param name="serverAdmitsAt">
    /// When the server said it takes this request again (a 429's wait). From then on the request is not held back by the local
    /// estimate of the limits, nor queued behind others: only a pause the server reported (and a deadline) still holds it.
    /// Ignored when the store is shared with other processes (<see cref="IQuotaStore.IsShared"/>).
    /// </param>
    /// <param name="cancellationToken">Removes the request from the queue at once.</param>
    /// <returns>The lease; settle or release it exactly once.</returns>
    /// <exception cref="GroqRateLimitException">The deadline cannot be met, or the queue is full.</exception>
    /// <exception cref="GroqRequestTooLargeException">The request is larger than a token limit.</exception>
    /// <exception cref="ObjectDisposedException">The limiter was disposed.</exception>
    public ValueTask<QuotaLease> AcquireAsync(
        QuotaKey key,
        QuotaRequest request,
        GroqPriority priority,
        DateTimeOffset deadline,
        IProgress<GroqRequestStatus>? status = null,
        DateTimeOffset? serverAdmitsAt = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key.Organization);
        ArgumentNullException.ThrowIfNull(key.Model);
        if (_disposed)
        {
            return ValueTask.FromException<QuotaLease>(new ObjectDisposedException(nameof(QuotaLimiter)));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<QuotaLease>(cancellationToken);
        }

        QuotaQueue queue = _queues.GetOrAdd(key, static (k, self) => new QuotaQueue(self, k), this);

        // The server's word wins over the local estimate: a request it named a time for goes at that time, unless a pause it
        // reported runs longer. Waiting for the local buckets instead once cost ten times the wait Groq asked for. A quota
        // shared with other processes is the exception: they take the room the word meant, so the shared figures decide.
        bool serverSaid = serverAdmitsAt is { } admitsAt && !_store.IsShared && ClaimServerWord(queue, admitsAt);
        if (serverSaid)
        {
            request = request with { Overdraft = true };
        }
        else if (!queue.NoneAhead(priority))
        {
            return PeekThenEnqueue(queue, request, priority, deadline, status, cancellationToken);
        }

        ValueTask<QuotaDecision> pending = _store.TryReserveAsync(key, request, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return AcquireSlowAsync(queue, request, priority, deadline, status, pending, cancellationToken);
        }

        QuotaDecision decision = pending.Result;
        return decision.IsAdmitted
            ? new(new QuotaLease(this, queue, decision.Reservation, TimeSpan.Zero, GroqLimitKind.Unknown))
            : Enqueue(queue, request, priority, deadline, status, decision, cancellationToken);
    }

    /// <summary>
    /// Gets a value indicating whether a request may go on the server's word now: its time has come, and no other request went
    /// on a word since that time. Requests refused together all hear the same time, but the room the server meant is for one
    /// of them; the others wait for what the server reported of the limit (its figures are in the local buckets by then).
    /// </summary>
    private bool ClaimServerWord(QuotaQueue queue, DateTimeOffset admitsAt)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (admitsAt > now)
        {
            return false;
        }

        lock (queue.Lock)
        {
            if (queue.LastServerWordAdmission >= admitsAt)
            {
                return false;
            }

            queue.LastServerWordAdmission = now;
            return true;
        }
    }

    /// <summary>Learns limits and usage from one of Groq's answers, then lets waiting requests try again.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="observation">What the answer said.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>A task that completes when the store learnt it.</returns>
    public async ValueTask LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default)
    {
        await _store.LearnAsync(key, observation, cancellationToken).ConfigureAwait(false);
        Wake(key);
    }

    /// <summary>Pauses admissions for a model (after a server 429); waiting requests whose deadline the pause passes fail at once.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="duration">How long.</param>
    /// <param name="limit">The limit Groq named.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>A task that completes when the pause is recorded.</returns>
    public async ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default)
    {
        await _store.PauseAsync(key, duration, limit, cancellationToken).ConfigureAwait(false);
        Wake(key);
    }

    /// <summary>Fails every waiting request with <see cref="ObjectDisposedException"/> and stops the timers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _freedRegistration.Dispose();
        foreach (QuotaQueue queue in _queues.Values)
        {
            List<QuotaWaiter> waiters;
            lock (queue.Lock)
            {
                waiters = queue.RemoveAll();
                queue.Timer?.Dispose();
                queue.Timer = null;
            }

            foreach (QuotaWaiter waiter in waiters)
            {
                waiter.DetachCallbacks();
                waiter.TrySetException(new ObjectDisposedException(nameof(QuotaLimiter), $"The rate limiter was shut down while the request waited for quota on {queue.Key.Model}."));
            }
        }
    }

    internal ValueTask<bool> SettleAsync(QuotaQueue queue, QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken)
    {
        ValueTask<bool> pending = _store.SettleAsync(reservation, actualTokens, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return WakeAfterAsync(queue, pending);
        }

        WakeIfWaiting(queue);
        return new(pending.Result);
    }

    internal ValueTask<bool> ReleaseAsync(QuotaQueue queue, QuotaReservation reservation, CancellationToken cancellationToken)
    {
        ValueTask<bool> pending = _store.ReleaseAsync(reservation, cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return WakeAfterAsync(queue, pending);
        }

        WakeIfWaiting(queue);
        return new(pending.Result);
    }

    private async ValueTask<bool> WakeAfterAsync(QuotaQueue queue, ValueTask<bool> pending)
    {
        bool result = await pending.ConfigureAwait(false);
        WakeIfWaiting(queue);
        return result;
    }

    private void OnFreedElsewhere(QuotaKey key) => Wake(key);

    private void Wake(QuotaKey key)
    {
        if (_queues.TryGetValue(key, out QuotaQueue? queue))
        {
            WakeIfWaiting(queue);
        }
    }

    private void WakeIfWaiting(QuotaQueue queue)
    {
        if (queue.Count > 0)
        {
            SchedulePump(queue);
        }
    }

    private async ValueTask<QuotaLease> AcquireSlowAsync(
        QuotaQueue queue,
        QuotaRequest request,
        GroqPriority priority,
        DateTimeOffset deadline,
        IProgress<GroqRequestStatus>? status,
        ValueTask<QuotaDecision> pending,
        CancellationToken cancellationToken)
    {
        QuotaDecision decision = await pending.ConfigureAwait(false);
        return decision.IsAdmitted
            ? new QuotaLease(this, queue, decision.Reservation, TimeSpan.Zero, GroqLimitKind.Unknown)
            : await Enqueue(queue, request, priority, deadline, status, decision, cancellationToken).ConfigureAwait(false);
    }
}
