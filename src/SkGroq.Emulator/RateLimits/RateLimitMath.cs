using SkGroq.Errors;

namespace SkGroq.Emulator.RateLimits;

/// <summary>Groq's rate-limit arithmetic (docs/GROQ-API.md §5.2, §5.4): pure functions, no clock.</summary>
internal static class RateLimitMath
{
    /// <summary>What a full bucket reports as its reset.</summary>
    public const long FullBucketResetNanoseconds = 1_000_000;

    public const double MinuteSeconds = 60;

    public const double DaySeconds = 86_400;

    public static double WindowSeconds(GroqLimitKind kind) => kind is GroqLimitKind.RequestsPerDay or GroqLimitKind.TokensPerDay ? DaySeconds : MinuteSeconds;

    /// <summary>The time until the bucket is full again: (limit − remaining) / limit × window in float64 seconds (divide first), truncated to ns; <c>1ms</c> when full.</summary>
    public static long ResetNanoseconds(long limit, long remaining, double windowSeconds)
        => limit <= 0 || remaining >= limit
            ? FullBucketResetNanoseconds
            : GoDuration.NanosecondsFromSeconds((double)(limit - remaining) / limit * windowSeconds);

    /// <summary>The time until <paramref name="requested"/> fits: (used + requested − limit) / limit × window, truncated to ns.</summary>
    public static long WaitNanoseconds(long limit, long used, long requested, double windowSeconds)
    {
        long deficit = used + requested - limit;
        return deficit <= 0 || limit <= 0 ? 0 : GoDuration.NanosecondsFromSeconds((double)deficit / limit * windowSeconds);
    }

    /// <summary>The integer <c>retry-after</c>: the wait rounded up to whole seconds (at least 1).</summary>
    public static long RetryAfterSeconds(long waitNanoseconds) => Math.Max(1, (waitNanoseconds + 999_999_999) / 1_000_000_000);

    public static string Format(long nanoseconds) => GoDuration.FormatNanoseconds(nanoseconds);
}
