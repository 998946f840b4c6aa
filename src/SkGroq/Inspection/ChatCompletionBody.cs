using System.Text.Json;

using SkGroq.Usage;

namespace SkGroq.Inspection;

/// <summary>Reads the fields the pipeline needs from a non-streaming chat completion body.</summary>
internal static class ChatCompletionBody
{
    /// <summary>Reads a body.</summary>
    /// <param name="body">The whole body.</param>
    /// <returns>The summary; <see langword="null"/> when the body is not a JSON object with <c>choices</c> or <c>error</c>.</returns>
    /// <exception cref="JsonException">The body is not valid JSON (for example cut off).</exception>
    public static ChatCompletionSummary? Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? model = null;
        string? requestId = null;
        string? finishReason = null;
        GroqUsage? usage = null;
        GroqUsage? xGroqUsage = null;
        bool hasChoices = false;
        bool hasContent = false;
        byte[]? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                model = reader.TokenType == JsonTokenType.String ? reader.GetString() : model;
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                hasChoices = reader.TokenType == JsonTokenType.StartArray;
                hasContent |= ReadChoices(ref reader, ref finishReason);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = GroqUsageJson.Read(ref reader);
            }
            else if (reader.ValueTextEquals("x_groq"u8))
            {
                reader.Read();
                ReadXGroq(ref reader, ref requestId, ref xGroqUsage);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                bool present = reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String;
                reader.Skip();
                error = present ? body.ToArray() : error;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The closing brace must be there: a body cut off after a complete property would otherwise pass.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("The body does not end where its JSON object does.");
        }

        return hasChoices || error is not null ? new ChatCompletionSummary(model, requestId, finishReason, usage ?? xGroqUsage, hasContent, error) : null;
    }

    private static bool ReadChoices(ref Utf8JsonReader reader, ref string? finishReason)
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
                if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    hasContent |= ReadMessage(ref reader);
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    finishReason ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
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

    private static bool ReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        bool hasContent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool text = reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("reasoning"u8);
            bool tools = reader.ValueTextEquals("tool_calls"u8);
            reader.Read();
            if (text)
            {
                hasContent |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else if (tools && reader.TokenType == JsonTokenType.StartArray)
            {
                Utf8JsonReader probe = reader;
                hasContent |= probe.Read() && probe.TokenType != JsonTokenType.EndArray;
            }

            reader.Skip();
        }

        return hasContent;
    }

    private static void ReadXGroq(ref Utf8JsonReader reader, ref string? requestId, ref GroqUsage? usage)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                requestId = reader.TokenType == JsonTokenType.String ? reader.GetString() : requestId;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = GroqUsageJson.Read(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
