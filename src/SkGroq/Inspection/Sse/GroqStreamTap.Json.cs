using System.Text.Json;

using SkGroq.Usage;

namespace SkGroq.Inspection.Sse;

/// <content>The full read of chunks that carry usage, ids, errors, tool calls or a finish reason.</content>
internal sealed partial class GroqStreamTap
{
    private GroqChunkKind ParseChunk(ReadOnlySpan<byte> data)
    {
        int textMark = _text.Length;
        try
        {
            var reader = new Utf8JsonReader(data);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return GroqChunkKind.Other;
            }

            bool hasContent = false;
            bool hasError = false;
            bool topLevelUsage = false;
            bool hasXGroqUsage = false;
            Utf8JsonReader xGroqUsage = default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    hasContent |= ReadChoices(ref reader);
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (Model is null && reader.TokenType == JsonTokenType.String)
                    {
                        Model = _requestedModel is not null && reader.ValueTextEquals(_requestedModel) ? _requestedModel : reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    topLevelUsage = true;
                    if (Usage is null && reader.TokenType == JsonTokenType.StartObject)
                    {
                        Usage = GroqUsageJson.Read(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("x_groq"u8))
                {
                    reader.Read();
                    hasError |= ReadXGroq(ref reader, ref hasXGroqUsage, ref xGroqUsage);
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    hasError |= IsTruthy(ref reader);
                    if (hasError && ErrorKind == GroqStreamErrorKind.None)
                    {
                        ErrorKind = GroqStreamErrorKind.ErrorData;
                        _errorJson = data.ToArray();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // docs/GROQ-API.md §4.2: usage first, then x_groq.usage — and only when it holds token counts.
            if (Usage is null && !topLevelUsage && hasXGroqUsage)
            {
                Usage = GroqUsageJson.Read(ref xGroqUsage);
            }

            if (hasError)
            {
                // The error chunk is not passed on, so its text never reached the reader.
                _text.Truncate(textMark);
                return GroqChunkKind.Error;
            }

            if (hasContent)
            {
                ContentChunks++;
                return GroqChunkKind.Content;
            }

            return GroqChunkKind.Other;
        }
        catch (JsonException)
        {
            // Not Groq's JSON: left for the reader's own parser to reject; nothing is learnt from it.
            _text.Truncate(textMark);
            return GroqChunkKind.Other;
        }
    }

    private bool ReadChoices(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return false;
        }

        bool hasContent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    hasContent |= ReadDelta(ref reader);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (FinishReason is null || !reader.ValueTextEquals(FinishReason)))
                    {
                        FinishReason = reader.GetString();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }

        return hasContent;
    }

    private bool ReadDelta(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        bool hasContent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    hasContent = true;
                    _text.Append(reader.ValueSpan);
                }
            }
            else if (reader.ValueTextEquals("reasoning"u8))
            {
                reader.Read();
                hasContent |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    Utf8JsonReader probe = reader;
                    hasContent |= probe.Read() && probe.TokenType != JsonTokenType.EndArray;
                }

                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return hasContent;
    }

    private bool ReadXGroq(ref Utf8JsonReader reader, ref bool hasUsage, ref Utf8JsonReader usage)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        bool hasError = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (RequestId is null && reader.TokenType == JsonTokenType.String)
                {
                    RequestId = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    // Read later, only if the chunk has no top-level usage (which wins, docs/GROQ-API.md §4.2).
                    hasUsage = true;
                    usage = reader;
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    hasError = true;
                    if (ErrorKind == GroqStreamErrorKind.None)
                    {
                        ErrorKind = GroqStreamErrorKind.XGroqError;
                        XGroqError = reader.GetString();
                    }
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return hasError;
    }

    private static bool IsTruthy(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                Utf8JsonReader probe = reader;
                bool nonEmpty = probe.Read() && probe.TokenType == JsonTokenType.PropertyName;
                reader.Skip();
                return nonEmpty;
            case JsonTokenType.StartArray:
                Utf8JsonReader items = reader;
                bool any = items.Read() && items.TokenType != JsonTokenType.EndArray;
                reader.Skip();
                return any;
            case JsonTokenType.String:
                return reader.ValueSpan.Length > 0;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.Number:
                return !reader.ValueSpan.SequenceEqual("0"u8);
            default:
                return false;
        }
    }
}
