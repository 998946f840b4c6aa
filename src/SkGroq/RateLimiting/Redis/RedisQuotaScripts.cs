using System.Globalization;
namespace SkGroq.RateLimiting.Redis;

/// <summary>The Lua scripts of the shared quota, embedded in the assembly: each is the common part (<c>quota.lua</c>) followed by its own.</summary>
/// <remarks>
/// The windows come from <see cref="QuotaBucket"/>, so the Redis buckets and the in-memory ones cannot drift apart. StackExchange.Redis
/// sends a script by its SHA1 (<c>EVALSHA</c>) once it is loaded, and loads it again after <c>NOSCRIPT</c> (a restarted server).
/// </remarks>
internal static class RedisQuotaScripts
{
    /// <summary>Gets the reserve-or-peek script.</summary>
    public static string Reserve { get; } = Load("reserve");

    /// <summary>Gets the settle-or-release script.</summary>
    public static string Settle { get; } = Load("settle");

    /// <summary>Gets the learn script.</summary>
    public static string Learn { get; } = Load("learn");

    /// <summary>Gets the pause script.</summary>
    public static string Pause { get; } = Load("pause");

    /// <summary>Gets the snapshot script.</summary>
    public static string Snapshot { get; } = Load("snapshot");

    /// <summary>Gets the script that merges an instance's local usage back after an outage.</summary>
    public static string Absorb { get; } = Load("absorb");

    private static string Load(string name)
    {
        string prelude = Read("quota")
            .Replace("__MINUTE_US__", Micros(QuotaBucket.MinuteTicks), StringComparison.Ordinal)
            .Replace("__DAY_US__", Micros(QuotaBucket.DayTicks), StringComparison.Ordinal)
            .Replace("__GUARD_US__", Micros(QuotaBucket.GuardTicks), StringComparison.Ordinal)
            .Replace("__LONG_WAIT_US__", Micros(long.MaxValue - 1), StringComparison.Ordinal)
            .Replace("__LONG_FILL_US__", Micros(long.MaxValue / 2), StringComparison.Ordinal)
            .Replace("__MINUTE_TICKS__", QuotaBucket.MinuteTicks.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__DAY_TICKS__", QuotaBucket.DayTicks.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return prelude + "\n" + Read(name);

        static string Micros(long ticks) => (ticks / TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture);
    }

    private static string Read(string name)
    {
        string resource = $"SkGroq.RateLimiting.Redis.Scripts.{name}.lua";
        using Stream stream = typeof(RedisQuotaScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded script {resource} is missing from {typeof(RedisQuotaScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
