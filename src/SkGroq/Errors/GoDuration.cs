using System.Globalization;

namespace SkGroq.Errors;

/// <summary>
/// Go <c>time.Duration</c> strings as Groq writes them in <c>x-ratelimit-reset-*</c> headers and "try again in" messages:
/// <c>2m59.56s</c>, <c>7.66s</c>, <c>172.799999ms</c>, <c>1ms</c>, <c>14m52s</c>.
/// </summary>
/// <remarks>Pure logic: formatting reproduces Go's <c>Duration.String()</c> digit for digit, parsing accepts everything <c>time.ParseDuration</c> does.</remarks>
internal static class GoDuration
{
    private const long NanosecondsPerTick = 100;
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;

    private static readonly long[] s_powersOfTen = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    /// <summary>Converts seconds to whole nanoseconds the way Go's <c>time.Duration(seconds * float64(time.Second))</c> does (truncating).</summary>
    /// <param name="seconds">Seconds, as a float.</param>
    /// <returns>Nanoseconds.</returns>
    public static long NanosecondsFromSeconds(double seconds)
    {
        double ns = seconds * Second;
        return ns >= long.MaxValue ? long.MaxValue : ns <= long.MinValue ? long.MinValue : (long)ns;
    }

    /// <summary>Formats a duration as Go does, e.g. <c>1m26.4s</c>.</summary>
    /// <param name="value">The duration (100 ns resolution).</param>
    /// <returns>The Go duration string.</returns>
    public static string Format(TimeSpan value) => FormatNanoseconds(checked(value.Ticks * NanosecondsPerTick));

    /// <summary>Formats a number of nanoseconds as Go's <c>Duration.String()</c> does, e.g. <c>172.799999ms</c>.</summary>
    /// <param name="nanoseconds">The duration in nanoseconds.</param>
    /// <returns>The Go duration string.</returns>
    public static string FormatNanoseconds(long nanoseconds)
    {
        Span<char> buffer = stackalloc char[40];
        int w = buffer.Length;
        bool negative = nanoseconds < 0;
        ulong u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;

        if (u < Second)
        {
            int precision;
            buffer[--w] = 's';
            if (u == 0)
            {
                return "0s";
            }
            else if (u < Microsecond)
            {
                precision = 0;
                buffer[--w] = 'n';
            }
            else if (u < Millisecond)
            {
                precision = 3;
                buffer[--w] = 'µ';
            }
            else
            {
                precision = 6;
                buffer[--w] = 'm';
            }

            w = FormatFraction(buffer[..w], ref u, precision);
            w = FormatInteger(buffer[..w], u);
        }
        else
        {
            buffer[--w] = 's';
            w = FormatFraction(buffer[..w], ref u, 9);
            w = FormatInteger(buffer[..w], u % 60);
            u /= 60;
            if (u > 0)
            {
                buffer[--w] = 'm';
                w = FormatInteger(buffer[..w], u % 60);
                u /= 60;
                if (u > 0)
                {
                    buffer[--w] = 'h';
                    w = FormatInteger(buffer[..w], u);
                }
            }
        }

        if (negative)
        {
            buffer[--w] = '-';
        }

        return new string(buffer[w..]);
    }

    /// <summary>Parses a Go duration string such as <c>1m26.4s</c> or <c>172.799999ms</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration, rounded down to 100 ns.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid Go duration.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan value)
    {
        if (TryParseNanoseconds(text, out long ns))
        {
            value = TimeSpan.FromTicks(ns / NanosecondsPerTick);
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Parses a Go duration string into nanoseconds, as <c>time.ParseDuration</c> does.</summary>
    /// <param name="text">The text.</param>
    /// <param name="nanoseconds">The duration in nanoseconds.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid Go duration.</returns>
    public static bool TryParseNanoseconds(ReadOnlySpan<char> text, out long nanoseconds)
    {
        text = text.Trim();
        return TryParseOneAmount(text, out nanoseconds) || TryParseAmounts(text, out nanoseconds);
    }

    /// <summary>
    /// The shape Groq writes in every answer's headers (<c>6s</c>, <c>3.02s</c>, <c>172.799999ms</c>): one unsigned amount of at
    /// most 18 digits, at most 9 of them after the point, and one unit — computed in integers, to the same value
    /// <see cref="TryParseAmounts"/> computes in decimals, several times faster. Any other text is left to that method.
    /// </summary>
    private static bool TryParseOneAmount(ReadOnlySpan<char> text, out long nanoseconds)
    {
        nanoseconds = 0;
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        int i = 0;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (++digits > 18)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + (c - '0');
                fraction += fraction >= 0 ? 1 : 0;
            }
            else if (c == '.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                break;
            }
        }

        long unit = UnitNanoseconds(text[i..]);
        if (digits == 0 || fraction > 9 || unit == 0)
        {
            return false;
        }

        // Exact: amount × unit = mantissa × unit / 10^fraction, refused above long.MaxValue before truncating, as in decimals.
        Int128 exact = (Int128)mantissa * unit;
        long scale = s_powersOfTen[Math.Max(fraction, 0)];
        if (exact > (Int128)long.MaxValue * scale)
        {
            return false;
        }

        nanoseconds = (long)(exact / scale);
        return true;
    }

    /// <summary>Parses any Go duration (a sign, then amounts with units, such as <c>1h2m3.5s</c>) in decimal arithmetic.</summary>
    /// <param name="text">The text, trimmed.</param>
    /// <param name="nanoseconds">The duration in nanoseconds.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid Go duration.</returns>
    internal static bool TryParseAmounts(ReadOnlySpan<char> text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        bool negative = false;
        if (text[0] is '-' or '+')
        {
            negative = text[0] == '-';
            text = text[1..];
        }

        if (text.SequenceEqual("0"))
        {
            return true;
        }

        if (text.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!text.IsEmpty)
        {
            int i = 0;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            ReadOnlySpan<char> number = text[..i];
            if (number.IsEmpty || number.SequenceEqual(".") || number.IndexOf('.') != number.LastIndexOf('.'))
            {
                return false;
            }

            text = text[i..];
            int j = 0;
            while (j < text.Length && !char.IsAsciiDigit(text[j]) && text[j] != '.')
            {
                j++;
            }

            long unit = UnitNanoseconds(text[..j]);
            if (unit == 0)
            {
                return false;
            }

            text = text[j..];
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal amount))
            {
                return false;
            }

            // Checked before multiplying: an amount like 60476035270016056h is beyond decimal's range, not only a duration's.
            if (amount > (decimal)long.MaxValue / unit)
            {
                return false;
            }

            total += amount * unit;
            if (total > long.MaxValue)
            {
                return false;
            }
        }

        long whole = (long)decimal.Truncate(total);
        nanoseconds = negative ? -whole : whole;
        return true;
    }

    private static long UnitNanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => Microsecond,
        "ms" => Millisecond,
        "s" => Second,
        "m" => 60 * Second,
        "h" => 3600 * Second,
        _ => 0,
    };

    // Writes the fraction of v / 10^precision (".12345") at the end of buf, without trailing zeros (and without the point
    // when the fraction is 0); leaves the integer part in v. Mirrors Go's fmtFrac.
    private static int FormatFraction(Span<char> buffer, ref ulong v, int precision)
    {
        int w = buffer.Length;
        bool print = false;
        for (int i = 0; i < precision; i++)
        {
            ulong digit = v % 10;
            print = print || digit != 0;
            if (print)
            {
                buffer[--w] = (char)('0' + digit);
            }

            v /= 10;
        }

        if (print)
        {
            buffer[--w] = '.';
        }

        return w;
    }

    private static int FormatInteger(Span<char> buffer, ulong v)
    {
        int w = buffer.Length;
        if (v == 0)
        {
            buffer[--w] = '0';
            return w;
        }

        while (v > 0)
        {
            buffer[--w] = (char)('0' + (v % 10));
            v /= 10;
        }

        return w;
    }
}
