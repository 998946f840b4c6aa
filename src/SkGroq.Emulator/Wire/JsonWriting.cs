using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SkGroq.Emulator.Wire;

/// <summary>Shared <see cref="Utf8JsonWriter"/> settings and a per-thread writer cache (writing is synchronous; awaits happen after release).</summary>
internal static class JsonWriting
{
    /// <summary>Raw UTF-8 text and no HTML escaping, closer to Groq's output than the default encoder (backticks and apostrophes stay as they are).</summary>
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? s_cachedWriter;

    public static Utf8JsonWriter Rent(IBufferWriter<byte> output)
    {
        Utf8JsonWriter? writer = s_cachedWriter;
        if (writer is null)
        {
            return new Utf8JsonWriter(output, Options);
        }

        s_cachedWriter = null;
        writer.Reset(output);
        return writer;
    }

    public static void Return(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset();
        s_cachedWriter = writer;
    }

    /// <summary>Writes a time in seconds, as Groq does (e.g. <c>0.036813737</c>), from nanoseconds.</summary>
    public static void WriteSeconds(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long nanoseconds)
    {
        Span<byte> buffer = stackalloc byte[32];
        writer.WritePropertyName(name);
        writer.WriteRawValue(buffer[..FormatSeconds(nanoseconds, buffer)], skipInputValidation: true);
    }

    /// <summary>Seconds with up to nine decimals and no trailing zeros: 808140 ns → <c>0.00080814</c>, 2 s → <c>2</c>.</summary>
    public static int FormatSeconds(long nanoseconds, Span<byte> destination)
    {
        long whole = nanoseconds / 1_000_000_000;
        long fraction = nanoseconds % 1_000_000_000;
        whole.TryFormat(destination, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        if (fraction == 0)
        {
            return written;
        }

        destination[written++] = (byte)'.';
        int digits = 9;
        while (fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        for (int i = digits - 1; i >= 0; i--)
        {
            destination[written + i] = (byte)('0' + (fraction % 10));
            fraction /= 10;
        }

        return written + digits;
    }
}
