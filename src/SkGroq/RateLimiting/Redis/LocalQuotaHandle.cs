namespace SkGroq.RateLimiting.Redis;

/// <summary>The handle of a reservation admitted by an instance's local share: which share issued it, and its reservation there.</summary>
/// <param name="Share">The local share that issued it (each outage has its own, with its own clock origin).</param>
/// <param name="Local">The reservation in the share's in-memory store.</param>
internal sealed record LocalQuotaHandle(LocalQuotaShare Share, QuotaReservation Local);
