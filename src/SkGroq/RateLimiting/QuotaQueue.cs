using SkGroq.Context;

namespace SkGroq.RateLimiting;

/// <summary>The waiting requests of one organization and model: interactive before background, first come first served within each.</summary>
/// <remarks>Waiters form intrusive doubly linked lists, so cancellation removes one at once. All members except the counts are guarded by <see cref="Lock"/>.</remarks>
internal sealed class QuotaQueue(QuotaLimiter limiter, QuotaKey key)
{
    private readonly Lane _interactive = new();
    private readonly Lane _background = new();
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

    /// <summary>
    /// Gets the request served next: an interactive one before any background one; within a priority, the tenants take
    /// turns (the first waiter of the tenant whose turn it is), and one tenant's requests keep their order.
    /// </summary>
    public QuotaWaiter? Head => _interactive.Head ?? _background.Head;

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
        int ahead;
        if (waiter.Priority == GroqPriority.Interactive)
        {
            ahead = _interactive.Add(waiter);
            Volatile.Write(ref _interactiveCount, _interactiveCount + 1);
        }
        else
        {
            ahead = _interactiveCount + _background.Add(waiter);
        }

        waiter.InQueue = true;
        Volatile.Write(ref _count, _count + 1);
        return ahead;
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
            _interactive.Remove(waiter);
            Volatile.Write(ref _interactiveCount, _interactiveCount - 1);
        }
        else
        {
            _background.Remove(waiter);
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

    /// <summary>The waiters of one priority: a line per tenant (first come, first served), the lines served in turn.</summary>
    private sealed class Lane
    {
        private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);
        private readonly LinkedList<Line> _turns = new();

        public QuotaWaiter? Head => _turns.First?.Value.Head;

        /// <summary>Appends a waiter to its tenant's line.</summary>
        /// <returns>How many waiters of this lane are served before it (the tenants take turns).</returns>
        public int Add(QuotaWaiter waiter)
        {
            string tenant = waiter.Request.Tenant ?? string.Empty;
            if (!_lines.TryGetValue(tenant, out Line? line))
            {
                line = new Line(tenant);
                _lines[tenant] = line;
            }

            if (line.Count == 0)
            {
                line.Turn = _turns.AddLast(line);
            }

            int position = line.Count;
            line.Append(waiter);

            // Round robin: every other line serves up to as many as this one has ahead, plus one if its turn comes first.
            int ahead = position;
            for (LinkedListNode<Line>? node = _turns.First; node is not null; node = node.Next)
            {
                if (node.Value != line)
                {
                    ahead += Math.Min(node.Value.Count, position + (IsBefore(node, line.Turn!) ? 1 : 0));
                }
            }

            return ahead;
        }

        public void Remove(QuotaWaiter waiter)
        {
            Line line = _lines[waiter.Request.Tenant ?? string.Empty];
            bool servedTurn = ReferenceEquals(line.Head, waiter) && ReferenceEquals(_turns.First, line.Turn);
            line.Unlink(waiter);
            if (line.Count == 0)
            {
                _turns.Remove(line.Turn!);
                line.Turn = null;
                _lines.Remove(line.Tenant);
            }
            else if (servedTurn)
            {
                // The tenant had its turn: it goes to the back, behind the tenants that are waiting.
                _turns.Remove(line.Turn!);
                line.Turn = _turns.AddLast(line);
            }
        }

        private static bool IsBefore(LinkedListNode<Line> node, LinkedListNode<Line> other)
        {
            for (LinkedListNode<Line>? n = node.Next; n is not null; n = n.Next)
            {
                if (n == other)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class Line(string tenant)
    {
        private QuotaWaiter? _tail;

        public string Tenant { get; } = tenant;

        public QuotaWaiter? Head { get; private set; }

        public int Count { get; private set; }

        public LinkedListNode<Line>? Turn { get; set; }

        public void Append(QuotaWaiter waiter)
        {
            waiter.Previous = _tail;
            waiter.Next = null;
            if (_tail is null)
            {
                Head = waiter;
            }
            else
            {
                _tail.Next = waiter;
            }

            _tail = waiter;
            Count++;
        }

        public void Unlink(QuotaWaiter waiter)
        {
            if (waiter.Previous is null)
            {
                Head = waiter.Next;
            }
            else
            {
                waiter.Previous.Next = waiter.Next;
            }

            if (waiter.Next is null)
            {
                _tail = waiter.Previous;
            }
            else
            {
                waiter.Next.Previous = waiter.Previous;
            }

            waiter.Previous = null;
            waiter.Next = null;
            Count--;
        }
    }
}
