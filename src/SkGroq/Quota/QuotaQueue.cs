using SkGroq.Context;

namespace SkGroq.Quota;

/// <summary>The waiting requests of one organization and model: interactive before background, first come first served within each.</summary>
/// <remarks>Waiters form intrusive doubly linked lists, so cancellation removes one at once. All members except the counts are guarded by <see cref="Lock"/>.</remarks>
internal sealed class QuotaQueue(QuotaLimiter limiter, QuotaKey key)
{
    private QuotaWaiter? _interactiveHead;
    private QuotaWaiter? _interactiveTail;
    private QuotaWaiter? _backgroundHead;
    private QuotaWaiter? _backgroundTail;
    private int _count;
    private int _interactiveCount;

    public QuotaLimiter Limiter { get; } = limiter;

    public QuotaKey Key { get; } = key;

    public Lock Lock { get; } = new();

    /// <summary>Gets the number of waiting requests (read without the lock on the fast path).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets or sets a value indicating whether a pump is running for this queue.</summary>
    public bool Pumping { get; set; }

    /// <summary>Gets or sets a value indicating whether something changed while the pump ran, so it must look again.</summary>
    public bool PumpRequested { get; set; }

    /// <summary>Gets or sets the timer that wakes the queue when the head's limit frees.</summary>
    public ITimer? Timer { get; set; }

    /// <summary>Gets or sets when the last request admitted on the server's word was admitted (guarded by <see cref="Lock"/>).</summary>
    public DateTimeOffset LastServerWordAdmission { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Gets the request served next: the first interactive one, else the first background one.</summary>
    public QuotaWaiter? Head => _interactiveHead ?? _backgroundHead;

    /// <summary>Gets a value indicating whether no request of <paramref name="priority"/> or a higher one is waiting.</summary>
    /// <param name="priority">The priority of a new request.</param>
    /// <returns><see langword="true"/> when the new request may try to reserve at once.</returns>
    public bool NoneAhead(GroqPriority priority)
        => priority == GroqPriority.Interactive ? Volatile.Read(ref _interactiveCount) == 0 : Volatile.Read(ref _count) == 0;

    /// <summary>Appends a waiter behind those of its priority.</summary>
    /// <param name="waiter">The waiter.</param>
    /// <returns>How many requests are served before it.</returns>
    public int Add(QuotaWaiter waiter)
    {
        if (waiter.Priority == GroqPriority.Interactive)
        {
            Append(ref _interactiveHead, ref _interactiveTail, waiter);
            Volatile.Write(ref _interactiveCount, _interactiveCount + 1);
        }
        else
        {
            Append(ref _backgroundHead, ref _backgroundTail, waiter);
        }

        waiter.InQueue = true;
        Volatile.Write(ref _count, _count + 1);
        return waiter.Priority == GroqPriority.Interactive ? _interactiveCount - 1 : _count - 1;
    }

    /// <summary>Removes a waiter.</summary>
    /// <param name="waiter">The waiter.</param>
    /// <returns><see langword="true"/> when it was in the queue (the caller now owns its completion).</returns>
    public bool Remove(QuotaWaiter waiter)
    {
        if (!waiter.InQueue)
        {
            return false;
        }

        if (waiter.Priority == GroqPriority.Interactive)
        {
            Unlink(ref _interactiveHead, ref _interactiveTail, waiter);
            Volatile.Write(ref _interactiveCount, _interactiveCount - 1);
        }
        else
        {
            Unlink(ref _backgroundHead, ref _backgroundTail, waiter);
        }

        waiter.InQueue = false;
        Volatile.Write(ref _count, _count - 1);
        return true;
    }

    /// <summary>Removes every waiter.</summary>
    /// <returns>The waiters removed, in service order.</returns>
    public List<QuotaWaiter> RemoveAll()
    {
        var all = new List<QuotaWaiter>(_count);
        while (Head is { } head)
        {
            Remove(head);
            all.Add(head);
        }

        return all;
    }

    private static void Append(ref QuotaWaiter? head, ref QuotaWaiter? tail, QuotaWaiter waiter)
    {
        waiter.Previous = tail;
        waiter.Next = null;
        if (tail is null)
        {
            head = waiter;
        }
        else
        {
            tail.Next = waiter;
        }

        tail = waiter;
    }

    private static void Unlink(ref QuotaWaiter? head, ref QuotaWaiter? tail, QuotaWaiter waiter)
    {
        if (waiter.Previous is null)
        {
            head = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            tail = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Previous = null;
        waiter.Next = null;
    }
}
