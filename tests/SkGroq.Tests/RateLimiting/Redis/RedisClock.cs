namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>A fake clock as the quota scripts take it: microseconds since the Unix epoch.</summary>
internal static class RedisClock
{
    public static long Micros(TimeProvider time) => (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
