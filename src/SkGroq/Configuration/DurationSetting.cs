using System.Globalization;
using SkGroq.Errors;

namespace SkGroq.Configuration;

/// <summary>
/// Durations as people write them in settings: <c>30s</c>, <c>500ms</c>, <c>2m</c>, <c>1h30m</c>, <c>1d</c> or <c>hh:mm:ss</c>
/// (<c>00:00:30</c>, <c>1.00:00:00</c>). A bare number is refused: .NET would read <c>30</c> as thirty days.
/// </summary>
/// <remarks>Pure logic, shared by the settings binder and its messages.</remarks>
internal static class DurationSetting
{
    /// <summary>The accepted forms, for messages.</summary>
    public const string AcceptedForms = "30s, 500ms, 2m, 1h30m, 1d or hh:mm:ss such as 00:00:30";

    /// <summary>Parses a duration setting.</summary>
    /// <param name="text">The setting's value.</param>
    /// <param name="value">The duration.</param>
    /// <param name="problem">When parsing fails, what is wrong, to follow the setting's name and value in a message.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a duration in one of the accepted forms.</returns>
    public static bool TryParse(string text, out TimeSpan value, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        problem = null;
        if (trimmed.Contains(':', StringComparison.Ordinal))
        {
            if (TimeSpan.TryParseExact(trimmed, "c", CultureInfo.InvariantCulture, out value))
            {
                return true;
            }

            problem = $"is not a duration. Use {AcceptedForms}";
            return false;
        }

        if (trimmed == "0")
        {
            value = TimeSpan.Zero;
            return true;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double bare))
        {
            value = default;
            string example = bare.ToString(CultureInfo.InvariantCulture);
            problem = $"has no unit. Write {example}s for seconds or {example}ms for milliseconds (or hh:mm:ss such as 00:00:30)";
            return false;
        }

        if (trimmed.EndsWith('d')
            && double.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double days)
            && days is >= 0 and <= 3650)
        {
            value = TimeSpan.FromDays(days);
            return true;
        }

        if (GoDuration.TryParse(trimmed, out value))
        {
            return true;
        }

        problem = $"is not a duration. Use {AcceptedForms}";
        return false;
    }

    /// <summary>Formats a duration in the shortest accepted form: <c>1d</c>, <c>10m</c>, <c>30s</c>, <c>1ms</c>, else <c>hh:mm:ss.fff</c>.</summary>
    /// <param name="value">The duration.</param>
    /// <returns>The text.</returns>
    public static string Format(TimeSpan value)
    {
        long ticks = value.Ticks;
        return ticks switch
        {
            0 => "0s",
            _ when ticks % TimeSpan.TicksPerDay == 0 => Whole(ticks / TimeSpan.TicksPerDay, "d"),
            _ when ticks % TimeSpan.TicksPerHour == 0 => Whole(ticks / TimeSpan.TicksPerHour, "h"),
            _ when ticks % TimeSpan.TicksPerMinute == 0 => Whole(ticks / TimeSpan.TicksPerMinute, "m"),
            _ when ticks % TimeSpan.TicksPerSecond == 0 => Whole(ticks / TimeSpan.TicksPerSecond, "s"),
            _ when ticks % TimeSpan.TicksPerMillisecond == 0 => Whole(ticks / TimeSpan.TicksPerMillisecond, "ms"),
            _ => value.ToString("c", CultureInfo.InvariantCulture),
        };

        static string Whole(long count, string unit) => count.ToString(CultureInfo.InvariantCulture) + unit;
    }
}
