namespace SkGroq.RateLimiting;

/// <content>The ledger of in-flight reservations: exactly-once settlement, the reserved − settled − released balance, and what a server answer has not seen yet.</content>
internal sealed partial class ModelQuota
{
    private Entry? _oldest;
    private Entry? _newest;
    private Entry? _free;
    private long _lastId;

    /// <summary>Gets the number of reservations held.</summary>
    public int InFlightCount { get; private set; }

    /// <summary>Gets the tokens of the reservations held.</summary>
    public long InFlightTokens { get; private set; }

    /// <summary>Gets the tokens of every reservation ever admitted.</summary>
    public long ReservedTokens { get; private set; }

    /// <summary>Gets the reserved tokens of every settled reservation (what they reserved, not what they used).</summary>
    public long SettledTokens { get; private set; }

    /// <summary>Gets the tokens of every released reservation.</summary>
    public long ReleasedTokens { get; private set; }

    /// <summary>Gets the number of reservations and tokens admitted after <paramref name="reservationId"/> and still in flight: a server answer to that reservation has not counted them.</summary>
    /// <param name="reservationId">The id of the reservation the answer belongs to.</param>
    /// <returns>The count and tokens.</returns>
    public (int Count, long Tokens) InFlightAfter(long reservationId)
    {
        // The list is ordered by id, so the answer is a suffix of it. Walk in from both ends at once and stop at whichever
        // reaches the boundary first: O(min(older, newer)) instead of O(n). With many streams in flight the answered one is
        // usually among the oldest, and walking down from the newest cost ~17 µs per answer with 1,000 in flight.
        int newerCount = 0;
        long newerTokens = 0;
        int olderCount = 0;
        long olderTokens = 0;
        Entry? newer = _newest;
        Entry? older = _oldest;
        while (true)
        {
            if (newer is null || newer.Id <= reservationId)
            {
                return (newerCount, newerTokens);
            }

            if (older is null || older.Id > reservationId)
            {
                return (InFlightCount - olderCount, InFlightTokens - olderTokens);
            }

            newerCount++;
            newerTokens += newer.Tokens;
            newer = newer.Older;
            olderCount++;
            olderTokens += older.Tokens;
            older = older.Newer;
        }
    }

    /// <summary>Gets the quota that issued a reservation, from its handle, without a lookup by key.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <returns>The issuing quota, or <see langword="null"/> when the handle is not one of ours.</returns>
    public static ModelQuota? IssuerOf(in QuotaReservation reservation)
        => reservation.Handle is Entry entry && entry.Owner.Key == reservation.Key ? entry.Owner : null;

    private QuotaReservation Record(long tokens)
    {
        // Entries are recycled through a free list: admitting and settling allocate nothing in the steady state.
        Entry entry = _free ?? new Entry(this);
        _free = entry.Newer;
        entry.Id = ++_lastId;
        entry.Tokens = tokens;
        entry.InFlight = true;
        entry.Newer = null;
        entry.Older = _newest;
        if (_newest is not null)
        {
            _newest.Newer = entry;
        }

        _newest = entry;
        _oldest ??= entry;
        InFlightCount++;
        InFlightTokens += tokens;
        ReservedTokens += tokens;
        return new QuotaReservation(Key, entry.Id, tokens, entry, entry.Version);
    }

    private bool TryComplete(in QuotaReservation reservation, bool settled, out long reserved)
    {
        reserved = 0;
        if (reservation.Handle is not Entry entry || !ReferenceEquals(entry.Owner, this) || !entry.InFlight
            || entry.Version != reservation.Version || entry.Id != reservation.Id)
        {
            return false;
        }

        reserved = entry.Tokens;
        if (entry.Older is null)
        {
            _oldest = entry.Newer;
        }
        else
        {
            entry.Older.Newer = entry.Newer;
        }

        if (entry.Newer is null)
        {
            _newest = entry.Older;
        }
        else
        {
            entry.Newer.Older = entry.Older;
        }

        InFlightCount--;
        InFlightTokens -= reserved;
        if (settled)
        {
            SettledTokens += reserved;
        }
        else
        {
            ReleasedTokens += reserved;
        }

        // A new version makes every copy of the old handle stale, so a second settle or release is refused.
        entry.Version++;
        entry.InFlight = false;
        entry.Older = null;
        entry.Tokens = 0;
        entry.Newer = _free;
        _free = entry;
        return true;
    }

    private sealed class Entry(ModelQuota owner)
    {
        public ModelQuota Owner { get; } = owner;

        public long Id { get; set; }

        public long Tokens { get; set; }

        public int Version { get; set; }

        public bool InFlight { get; set; }

        public Entry? Older { get; set; }

        public Entry? Newer { get; set; }
    }
}
