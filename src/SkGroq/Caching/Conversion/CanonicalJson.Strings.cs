using System.Buffers.Text;
using System.Globalization;
using System.Text;
using SkGroq.Inspection.Sse;
namespace SkGroq.Caching.Conversion;

/// <content>Strings: one escaping for every spelling of the same text.</content>
internal static partial class CanonicalJson
{
    /// <summary>Writes a .NET string as a canonical JSON string.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="value">The string.</param>
    public static void WriteString(PooledByteBuffer output, string value)
    {
        output.Append((byte)'"');
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        foreach (byte b in utf8)
        {
            AppendEscaped(output, b);
        }

        output.Append((byte)'"');
    }

    /// <summary>Writes a JSON string given as it appeared in the source (quotes included) in canonical form.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="raw">The raw string token, quotes included.</param>
    public static void WriteRawString(PooledByteBuffer output, ReadOnlySpan<byte> raw)
    {
        output.Append((byte)'"');
        AppendCanonicalContent(output, raw[1..^1]);
        output.Append((byte)'"');
    }

    /// <summary>Writes the content of a raw JSON string (between the quotes) canonically: escapes resolved, then only <c>"</c>, <c>\</c> and control characters escaped.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="content">The raw content.</param>
    public static void AppendCanonicalContent(PooledByteBuffer output, ReadOnlySpan<byte> content)
    {
        // A valid JSON string without a backslash holds no '"' and no control character: it is canonical as it stands.
        int backslash = content.IndexOf((byte)'\\');
        if (backslash < 0)
        {
            output.Append(content);
            return;
        }

        output.Append(content[..backslash]);
        Span<byte> utf8 = stackalloc byte[4];
        int i = backslash;
        while (i < content.Length)
        {
            byte b = content[i];
            if (b != (byte)'\\')
            {
                int next = content[i..].IndexOf((byte)'\\');
                int end = next < 0 ? content.Length : i + next;
                output.Append(content[i..end]);
                i = end;
                continue;
            }

            byte escape = content[i + 1];
            i += 2;
            switch (escape)
            {
                case (byte)'"':
                    output.Append("\\\""u8);
                    break;
                case (byte)'\\':
                    output.Append("\\\\"u8);
                    break;
                case (byte)'/':
                    output.Append((byte)'/');
                    break;
                case (byte)'b':
                    AppendControl(output, 0x08);
                    break;
                case (byte)'f':
                    AppendControl(output, 0x0C);
                    break;
                case (byte)'n':
                    AppendControl(output, 0x0A);
                    break;
                case (byte)'r':
                    AppendControl(output, 0x0D);
                    break;
                case (byte)'t':
                    AppendControl(output, 0x09);
                    break;
                case (byte)'u':
                    int unit = ParseHex4(content.Slice(i, 4));
                    i += 4;
                    if (char.IsHighSurrogate((char)unit) && i + 6 <= content.Length && content[i] == (byte)'\\' && content[i + 1] == (byte)'u'
                        && ParseHex4(content.Slice(i + 2, 4)) is int low && char.IsLowSurrogate((char)low))
                    {
                        i += 6;
                        var rune = new Rune((char)unit, (char)low);
                        output.Append(utf8[..rune.EncodeToUtf8(utf8)]);
                    }
                    else if (Rune.IsValid(unit))
                    {
                        AppendEscaped(output, new Rune(unit), utf8);
                    }
                    else
                    {
                        // A lone surrogate has no UTF-8 form; keep it as one lower-case escape so it still compares equal to itself.
                        output.Append("\\u"u8);
                        AppendHex4(output, unit);
                    }

                    break;
                default:
                    throw new FormatException("Invalid JSON escape sequence.");
            }
        }
    }

    private static void AppendEscaped(PooledByteBuffer output, Rune rune, Span<byte> scratch)
    {
        if (rune.Value < 0x80)
        {
            AppendEscaped(output, (byte)rune.Value);
            return;
        }

        output.Append(scratch[..rune.EncodeToUtf8(scratch)]);
    }

    private static void AppendEscaped(PooledByteBuffer output, byte b)
    {
        if (b == (byte)'"')
        {
            output.Append("\\\""u8);
        }
        else if (b == (byte)'\\')
        {
            output.Append("\\\\"u8);
        }
        else if (b < 0x20)
        {
            AppendControl(output, b);
        }
        else
        {
            output.Append(b);
        }
    }

    private static void AppendControl(PooledByteBuffer output, int value)
    {
        output.Append("\\u"u8);
        AppendHex4(output, value);
    }

    private static void AppendHex4(PooledByteBuffer output, int value)
    {
        Span<byte> hex = stackalloc byte[4];
        value.TryFormat(hex, out _, "x4", CultureInfo.InvariantCulture);
        output.Append(hex);
    }

    private static byte[] CanonicalName(ReadOnlySpan<byte> raw)
    {
        using var buffer = new PooledByteBuffer(raw.Length);
        AppendCanonicalContent(buffer, raw);
        return buffer.WrittenSpan.ToArray();
    }

    private static int ParseHex4(ReadOnlySpan<byte> hex)
        => Utf8Parser.TryParse(hex, out ushort value, out int consumed, 'X') && consumed == 4 ? value : throw new FormatException("Invalid \\u escape.");
}
