namespace SkGroq.RateLimiting;

/// <summary>A held reservation: one request and <see cref="Tokens"/> tokens, until it is settled or released (exactly once).</summary>
/// <param name="Key">The organization and model.</param>
/// <param name="Id">The store's admission sequence number: later admissions have larger ids (used to tell which in-flight requests a server answer has not seen).</param>
/// <param name="Tokens">The tokens reserved (after any lowering to the limit).</param>
/// <param name="Handle">Store-private state (the in-memory store's ledger entry); <see langword="null"/> for stores that look reservations up by <paramref name="Id"/>.</param>
/// <param name="Version">Store-private: tells a stale copy of a recycled handle from the live one.</param>
internal readonly record struct QuotaReservation(QuotaKey Key, long Id, long Tokens, object? Handle = null, int Version = 0);
