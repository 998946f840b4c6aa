using System.Buffers.Binary;
using System.Text;

namespace SkGroq.Caching.Stores;

/// <summary>
/// The byte form of a <see cref="CachedAnswer"/> in a shared store: a small versioned header, then the payloads exactly as
/// received.
/// </summary>
/// <remarks>
/// Layout (little-endian): <c>"SKGC"</c>, version 1, kind, two reserved bytes; stored-at (Unix ms), prompt and completion
/// tokens (int64 each); model and finish reason (int32 UTF-8 length, -1 for none, bytes); the payload count and each
/// payload's end (int32); the payload bytes. Anything else — another version, a truncated value, lengths that do not add up
/// — reads as no entry, so a store shared with an older or newer SkGroq never serves what it cannot read.
/// </remarks>
internal static class CachedAnswerSerializer
{
    private const byte Version = 1;
    private const int FixedHeader = 32;
    private static ReadOnlySpan<byte> Magic => "SKGC"u8;

    /// <summary>Writes an entry.</summary>
    /// <param name="answer">The entry.</param>
    /// <returns>Its bytes.</returns>
    public static byte[] Serialize(CachedAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        CachedAnswerInfo info = answer.Info;
        int modelLength = info.Model is null ? 0 : Encoding.UTF8.GetByteCount(info.Model);
        int finishLength = info.FinishReason is null ? 0 : Encoding.UTF8.GetByteCount(info.FinishReason);
        ReadOnlySpan<int> ends = answer.ChunkEnds;
        byte[] bytes = new byte[FixedHeader + 4 + modelLength + 4 + finishLength + 4 + (ends.Length * 4) + answer.Data.Length];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        span[4] = Version;
        span[5] = (byte)answer.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], info.StoredAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], info.PromptTokens);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], info.CompletionTokens);
        int offset = FixedHeader;
        offset = WriteString(span, offset, info.Model);
        offset = WriteString(span, offset, info.FinishReason);
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], ends.Length);
        offset += 4;
        foreach (int end in ends)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], end);
            offset += 4;
        }

        answer.Data.CopyTo(span[offset..]);
        return bytes;
    }

    /// <summary>Reads an entry.</summary>
    /// <param name="bytes">What the store returned.</param>
    /// <returns>The entry, or <see langword="null"/> when the bytes are not an entry this version can read.</returns>
    public static CachedAnswer? Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < FixedHeader || !bytes.StartsWith(Magic) || bytes[4] != Version || bytes[5] is not ((byte)CachedAnswerKind.Json or (byte)CachedAnswerKind.Stream))
        {
            return null;
        }

        var kind = (CachedAnswerKind)bytes[5];
        long storedAt = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        long promptTokens = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        long completionTokens = BinaryPrimitives.ReadInt64LittleEndian(bytes[24..]);
        int offset = FixedHeader;
        if (!TryReadString(bytes, ref offset, out string? model) || !TryReadString(bytes, ref offset, out string? finishReason) || !TryReadInt32(bytes, ref offset, out int count))
        {
            return null;
        }

        if (count <= 0 || (kind == CachedAnswerKind.Json && count != 1) || (long)count * 4 > bytes.Length - offset)
        {
            return null;
        }

        int[] ends = new int[count];
        int previous = 0;
        for (int i = 0; i < count; i++)
        {
            int end = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
            offset += 4;
            if (end < previous)
            {
                return null;
            }

            ends[i] = previous = end;
        }

        if (bytes.Length - offset != ends[^1] || storedAt < -62_135_596_800_000 || storedAt > 253_402_300_799_999)
        {
            return null;
        }

        byte[] data = bytes[offset..].ToArray();
        var info = new CachedAnswerInfo(DateTimeOffset.FromUnixTimeMilliseconds(storedAt), model, finishReason, promptTokens, completionTokens);
        return kind == CachedAnswerKind.Json ? CachedAnswer.FromJson(data, info) : CachedAnswer.FromStream(data, ends, info);
    }

    private static int WriteString(Span<byte> span, int offset, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], -1);
            return offset + 4;
        }

        int length = Encoding.UTF8.GetBytes(value, span[(offset + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[offset..], length);
        return offset + 4 + length;
    }

    private static bool TryReadInt32(ReadOnlySpan<byte> bytes, ref int offset, out int value)
    {
        if (bytes.Length - offset < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
        offset += 4;
        return true;
    }

    private static bool TryReadString(ReadOnlySpan<byte> bytes, ref int offset, out string? value)
    {
        value = null;
        if (!TryReadInt32(bytes, ref offset, out int length) || length < -1 || length > bytes.Length - offset)
        {
            return false;
        }

        if (length >= 0)
        {
            value = Encoding.UTF8.GetString(bytes.Slice(offset, length));
            offset += length;
        }

        return true;
    }
}
