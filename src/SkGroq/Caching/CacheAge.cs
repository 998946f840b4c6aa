using System.Globalization;
namespace SkGroq.Caching;

/// <summary>Says how old a cached answer is in words people read in a status line: <c>40 s</c>, <c>12 min</c>, <c>3 h 5 min</c>, <c>2 days</c>.</summary>
internal static class CacheAge
{
    /// <summary>Formats an age.</summary>
    /// <param name="age">The age; negative ages (clock skew between instances) read as 0 s.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds} s")
            : age.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min")
            : age.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} day{((int)age.TotalDays == 1 ? string.Empty : "s")}");
    }
}
