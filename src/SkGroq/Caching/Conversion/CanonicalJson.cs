using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SkGroq.Inspection.Sse;
namespace SkGroq.Caching.Conversion;

/// <summary>
/// Writes a JSON value in one canonical form, so two documents that mean the same write the same bytes: object members
/// sorted by name (UTF-8 byte order), no whitespace, strings with one escaping (only <c>"</c>, <c>\</c> and control
/// characters escaped, everything else raw UTF-8), numbers in one spelling (<c>0</c>, <c>0.0</c>, <c>0e0</c> and <c>-0</c>
/// are all <c>0</c>; <c>0.50</c> is <c>0.5</c>).
/// </summary>
/// <remarks>
/// Pure logic over a parsed <see cref="JsonDocument"/>: raw spans (<see cref="JsonMarshal"/>) are copied as they are when
/// already canonical — the common case — so a request is canonicalised without allocating per value. The output is for
/// hashing, not for sending: equal bytes ⇔ equal meaning, as far as JSON goes.
/// </remarks>
internal static partial class CanonicalJson
{
    // Integers up to 2^53 are exact in a double: inside that range 1.0 and 1 are the same number to Groq's float64 parsers.
    private const double LargestExactInteger = 9_007_199_254_740_992d;

    /// <summary>Writes <paramref name="value"/> canonically.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="value">The value.</param>
    public static void WriteValue(PooledByteBuffer output, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(output, value, filter: null);
                break;
            case JsonValueKind.Array:
                output.Append((byte)'[');
                bool first = true;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        output.Append((byte)',');
                    }

                    first = false;
                    WriteValue(output, item);
                }

                output.Append((byte)']');
                break;
            case JsonValueKind.String:
                WriteRawString(output, JsonMarshal.GetRawUtf8Value(value));
                break;
            case JsonValueKind.Number:
                WriteNumber(output, value);
                break;
            default:
                // true, false, null: one spelling each.
                output.Append(JsonMarshal.GetRawUtf8Value(value));
                break;
        }
    }

    /// <summary>Writes an object's members sorted by name; <paramref name="filter"/> may leave members out or rename them.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="value">The object.</param>
    /// <param name="filter">Decides, for each member, whether it is written and under which name; <see langword="null"/> writes all.</param>
    public static void WriteObject(PooledByteBuffer output, JsonElement value, MemberFilter? filter)
    {
        int count = 0;
        foreach (JsonProperty _ in value.EnumerateObject())
        {
            count++;
        }

        Member[] members = ArrayPool<Member>.Shared.Rent(Math.Max(count, 1));
        try
        {
            int n = 0;
            foreach (JsonProperty property in value.EnumerateObject())
            {
                ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8PropertyName(property);
                byte[]? name = raw.Contains((byte)'\\') ? CanonicalName(raw) : null;
                ReadOnlySpan<byte> plain = name ?? raw;
                byte[]? renamed = null;
                if (filter is not null && !filter(plain, property.Value, out renamed))
                {
                    continue;
                }

                members[n++] = new Member(property, renamed ?? name);
            }

            Array.Sort(members, 0, n, MemberComparer.Instance);
            output.Append((byte)'{');
            for (int i = 0; i < n; i++)
            {
                if (i > 0)
                {
                    output.Append((byte)',');
                }

                output.Append((byte)'"');
                output.Append(members[i].Name);
                output.Append("\":"u8);
                WriteValue(output, members[i].Property.Value);
            }

            output.Append((byte)'}');
        }
        finally
        {
            ArrayPool<Member>.Shared.Return(members, clearArray: true);
        }
    }

    private static void WriteNumber(PooledByteBuffer output, JsonElement value)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        if (IsPlainInteger(raw))
        {
            if (raw.SequenceEqual("-0"u8))
            {
                output.Append((byte)'0');
            }
            else
            {
                output.Append(raw);
            }

            return;
        }

        Span<byte> text = stackalloc byte[32];
        int written;
        if (!value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            // Beyond double's range: no two spellings are unified, the number stays as written.
            output.Append(raw);
            return;
        }

        if (number == Math.Floor(number) && Math.Abs(number) <= LargestExactInteger)
        {
            ((long)number).TryFormat(text, out written, provider: CultureInfo.InvariantCulture);
        }
        else
        {
            number.TryFormat(text, out written, "R", CultureInfo.InvariantCulture);
        }

        output.Append(text[..written]);
    }

    private static bool IsPlainInteger(ReadOnlySpan<byte> raw)
    {
        int start = raw.Length > 0 && raw[0] == (byte)'-' ? 1 : 0;
        return raw.Length > start && !raw[start..].ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary>Decides whether an object member is part of the canonical form, and under which name.</summary>
    /// <param name="name">The member's name, escapes resolved.</param>
    /// <param name="value">The member's value.</param>
    /// <param name="rename">Another (canonical) name to write the member under, or <see langword="null"/> to keep its own.</param>
    /// <returns><see langword="true"/> to write the member.</returns>
    public delegate bool MemberFilter(ReadOnlySpan<byte> name, JsonElement value, out byte[]? rename);

    private readonly record struct Member(JsonProperty Property, byte[]? CanonicalName)
    {
        public ReadOnlySpan<byte> Name => CanonicalName ?? JsonMarshal.GetRawUtf8PropertyName(Property);
    }

    private sealed class MemberComparer : IComparer<Member>
    {
        public static readonly MemberComparer Instance = new();

        public int Compare(Member x, Member y) => x.Name.SequenceCompareTo(y.Name);
    }
}
