using System.Buffers;

namespace SkGroq.Inspection.Sse;

/// <content>The allocation-free scan of ordinary content chunks.</content>
internal sealed partial class GroqStreamTap
{
    private static readonly SearchValues<byte> s_stringSpecials = SearchValues.Create("\"\\"u8);

    /// <summary>
    /// Recognises the common chunk shape — <c>"delta":{…}</c> whose values are strings or null, then a null
    /// <c>finish_reason</c> — without a JSON reader. Anything else (tool calls, a finish reason, odd spacing) returns
    /// <see langword="false"/> and goes to the full parse, so this path only has to be right, not complete.
    /// </summary>
    private bool TryScanContentChunk(ReadOnlySpan<byte> data, out GroqChunkKind kind)
    {
        kind = GroqChunkKind.Other;
        int delta = data.IndexOf("\"delta\":"u8);
        if (delta < 0)
        {
            return false;
        }

        int p = delta + "\"delta\":".Length;
        if (!SkipSpaces(data, ref p) || data[p] != (byte)'{')
        {
            return false;
        }

        p++;
        bool hasContent = false;
        int textStart = -1;
        int textLength = 0;
        while (true)
        {
            if (!SkipSpaces(data, ref p))
            {
                return false;
            }

            if (data[p] == (byte)'}')
            {
                p++;
                break;
            }

            if (data[p] != (byte)'"')
            {
                return false;
            }

            int keyEnd = data[(p + 1)..].IndexOfAny(s_stringSpecials);
            if (keyEnd < 0 || data[p + 1 + keyEnd] != (byte)'"')
            {
                return false;
            }

            ReadOnlySpan<byte> key = data.Slice(p + 1, keyEnd);
            p += keyEnd + 2;
            if (!SkipSpaces(data, ref p) || data[p] != (byte)':')
            {
                return false;
            }

            p++;
            if (!SkipSpaces(data, ref p))
            {
                return false;
            }

            if (data[p] == (byte)'"')
            {
                int end = FindStringEnd(data, p + 1);
                if (end < 0)
                {
                    return false;
                }

                int length = end - (p + 1);
                if (length > 0)
                {
                    if (key.SequenceEqual("content"u8))
                    {
                        hasContent = true;
                        textStart = p + 1;
                        textLength = length;
                    }
                    else if (key.SequenceEqual("reasoning"u8))
                    {
                        hasContent = true;
                    }
                }

                p = end + 1;
            }
            else if (data[p..].StartsWith("null"u8))
            {
                p += 4;
            }
            else
            {
                // tool_calls, numbers, objects: the full parse knows what to do with them.
                return false;
            }

            if (!SkipSpaces(data, ref p))
            {
                return false;
            }

            if (data[p] == (byte)',')
            {
                p++;
            }
            else if (data[p] == (byte)'}')
            {
                p++;
                break;
            }
            else
            {
                return false;
            }
        }

        int finish = data[p..].IndexOf("\"finish_reason\":"u8);
        if (finish >= 0)
        {
            int value = p + finish + "\"finish_reason\":".Length;
            if (!SkipSpaces(data, ref value) || data[value] != (byte)'n')
            {
                // A finish reason is worth a proper read (once per stream).
                return false;
            }
        }

        if (textStart >= 0)
        {
            _text.Append(data.Slice(textStart, textLength));
        }

        if (hasContent)
        {
            ContentChunks++;
            kind = GroqChunkKind.Content;
        }

        return true;
    }

    /// <summary>Finds the closing quote of a JSON string whose content starts at <paramref name="start"/>; -1 when it does not end.</summary>
    private static int FindStringEnd(ReadOnlySpan<byte> data, int start)
    {
        int i = start;
        while (i < data.Length)
        {
            int special = data[i..].IndexOfAny(s_stringSpecials);
            if (special < 0)
            {
                return -1;
            }

            i += special;
            if (data[i] == (byte)'"')
            {
                return i;
            }

            // A backslash escapes the next byte (\" \\ \uXXXX's first letter); the rest of \uXXXX is plain hex.
            i += 2;
        }

        return -1;
    }

    private static bool SkipSpaces(ReadOnlySpan<byte> data, ref int p)
    {
        while (p < data.Length && data[p] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            p++;
        }

        return p < data.Length;
    }
}
