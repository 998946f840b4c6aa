using System.Globalization;

namespace SkGroq.Console.Output;

/// <summary>Number formatting shared by the commands' human output.</summary>
internal static class Formatting
{
    public static string Milliseconds(TimeSpan? value) => value is { } v ? $"{v.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms" : "n/a";

    public static string Number(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A count with its noun: <c>1 request</c>, <c>2 requests</c>.</summary>
    public static string Count(long value, string singular, string plural) => $"{Number(value)} {(value == 1 ? singular : plural)}";

    public static string Rate(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";

    public static string Money(decimal? value) => value is { } v ? "$" + v.ToString("0.000000", CultureInfo.InvariantCulture) : "unknown";

    public static string PerMillion(decimal? value) => value is { } v ? "$" + v.ToString("0.###", CultureInfo.InvariantCulture) : "unknown";

    public static double? Round(TimeSpan? value) => value is { } v ? Math.Round(v.TotalMilliseconds, 2) : null;

    public static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;
}
