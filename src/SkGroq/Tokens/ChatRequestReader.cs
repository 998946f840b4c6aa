using System.Text;
using System.Text.Json;
using SkGroq.Tokens.Templates;

namespace SkGroq.Tokens;

/// <summary>Reads an OpenAI chat-completion request body and renders its prompt into a <see cref="PromptTally"/>.</summary>
/// <remarks>
/// One forward pass with <see cref="Utf8JsonReader"/>; text is decoded into pooled buffers, nothing is materialised as
/// strings. Properties may come in any order (a message's <c>content</c> before its <c>role</c>): values are revisited
/// through reader checkpoints, which are plain struct copies.
/// </remarks>
internal static class ChatRequestReader
{
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 256 };

    /// <summary>Counts the prompt of a request.</summary>
    /// <param name="json">The request body.</param>
    /// <param name="counter">The model's counter.</param>
    /// <param name="imageTokens">The estimated tokens of one image.</param>
    /// <returns>The tally.</returns>
    /// <exception cref="JsonException">The body is not a JSON object.</exception>
    public static PromptTally Read(ReadOnlySpan<byte> json, TokenCounter counter, int imageTokens)
    {
        var reader = new Utf8JsonReader(json, s_options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A chat-completion request body must be a JSON object.");
        }

        var tally = default(PromptTally);
        var text = default(CharBuffer);
        var scratch = default(CharBuffer);
        bool reasoningDisabled = false;
        bool toolChoiceNone = false;
        int toolCount = 0;
        long toolTokens = 0;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("messages"u8))
                {
                    Expect(ref reader, JsonTokenType.StartArray, "messages");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        ReadMessage(ref reader, counter, imageTokens, ref tally, ref text, ref scratch);
                    }
                }
                else if (reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("functions"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            toolTokens += CountRaw(ref reader, json, counter, ref scratch);
                            toolCount++;
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("tool_choice"u8) || reader.ValueTextEquals("function_call"u8))
                {
                    reader.Read();
                    toolChoiceNone |= reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("none"u8);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("reasoning_effort"u8))
                {
                    reader.Read();
                    reasoningDisabled = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("none"u8);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("response_format"u8))
                {
                    reader.Read();
                    tally.Estimated += ReadResponseFormat(ref reader, json, counter, ref scratch);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            counter.Template.Finish(new PromptFeatures(reasoningDisabled, toolCount, toolTokens, toolChoiceNone), ref tally);
            return tally;
        }
        finally
        {
            text.Dispose();
            scratch.Dispose();
        }
    }

    private static void ReadMessage(
        ref Utf8JsonReader reader, TokenCounter counter, int imageTokens, ref PromptTally tally, ref CharBuffer text, ref CharBuffer scratch)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Each element of 'messages' must be an object with a 'role' and a 'content'.");
        }

        ChatRole role = ChatRole.Other;
        Utf8JsonReader content = default;
        Utf8JsonReader toolCalls = default;
        bool hasContent = false;
        bool hasToolCalls = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                reader.Read();
                role = reader.TokenType == JsonTokenType.String ? ReadRole(ref reader) : ChatRole.Other;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                content = reader;
                hasContent = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                toolCalls = reader;
                hasToolCalls = reader.TokenType == JsonTokenType.StartArray;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        text.Clear();
        if (hasContent)
        {
            ReadContent(ref content, imageTokens, ref tally, ref text);
        }

        counter.Template.AddMessage(role, text.Span, ref tally);
        if (hasToolCalls)
        {
            ReadToolCalls(ref toolCalls, counter, ref tally, ref text, ref scratch);
        }
    }

    private static void ReadContent(ref Utf8JsonReader reader, int imageTokens, ref PromptTally tally, ref CharBuffer text)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                AppendString(ref reader, ref text);
                return;
            case JsonTokenType.Null:
                return;
            case JsonTokenType.StartArray:
                break;
            default:
                tally.Inexact = true;
                return;
        }

        int textParts = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                // Not OpenAI's shape, but harmless: a bare string part is text.
                AppendPart(ref reader, ref text, ref textParts);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                tally.Inexact = true;
                continue;
            }

            bool isImage = false;
            bool isOther = false;
            Utf8JsonReader partText = default;
            bool hasText = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    isImage = reader.ValueTextEquals("image_url"u8) || reader.ValueTextEquals("image"u8) || reader.ValueTextEquals("input_image"u8);
                    isOther = !isImage && !reader.ValueTextEquals("text"u8) && !reader.ValueTextEquals("input_text"u8);
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    reader.Read();
                    partText = reader;
                    hasText = reader.TokenType == JsonTokenType.String;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("image_url"u8))
                {
                    reader.Read();
                    isImage = true;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (isImage)
            {
                tally.Estimated += imageTokens;
            }
            else if (hasText)
            {
                AppendPart(ref partText, ref text, ref textParts);
            }

            tally.Inexact |= isOther;
        }

        // Several text parts are joined with newlines before templating (as vLLM does); Groq's joining is not verified.
        tally.Inexact |= textParts > 1;
    }

    private static void AppendPart(ref Utf8JsonReader reader, ref CharBuffer text, ref int textParts)
    {
        if (textParts++ > 0)
        {
            text.Append("\n");
        }

        AppendString(ref reader, ref text);
    }

    private static void ReadToolCalls(ref Utf8JsonReader reader, TokenCounter counter, ref PromptTally tally, ref CharBuffer name, ref CharBuffer arguments)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            name.Clear();
            arguments.Clear();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("function"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool isName = reader.ValueTextEquals("name"u8);
                        bool isArguments = reader.ValueTextEquals("arguments"u8);
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String && (isName || isArguments))
                        {
                            AppendString(ref reader, ref isName ? ref name : ref arguments);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            counter.Template.AddToolCall(name.Span, arguments.Span, ref tally);
        }
    }

    private static long ReadResponseFormat(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, TokenCounter counter, ref CharBuffer scratch)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }

        bool jsonObject = false;
        bool jsonSchema = false;
        long schemaTokens = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                jsonObject = reader.ValueTextEquals("json_object"u8);
                jsonSchema = reader.ValueTextEquals("json_schema"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("json_schema"u8))
            {
                reader.Read();
                schemaTokens = CountRaw(ref reader, json, counter, ref scratch);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return jsonSchema ? TokenCountingDefaults.JsonSchemaTokens + schemaTokens
            : jsonObject ? TokenCountingDefaults.JsonObjectTokens
            : 0;
    }

    /// <summary>Counts the raw JSON text of the value the reader is on, and skips it.</summary>
    private static int CountRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, TokenCounter counter, ref CharBuffer scratch)
    {
        int start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        ReadOnlySpan<byte> raw = json[start..checked((int)reader.BytesConsumed)];
        scratch.Clear();
        Span<char> chars = scratch.GetSpan(Encoding.UTF8.GetMaxCharCount(raw.Length));
        int written = Encoding.UTF8.GetChars(raw, chars);
        scratch.Advance(written);
        return counter.CountTokens(scratch.Span);
    }

    private static void AppendString(ref Utf8JsonReader reader, ref CharBuffer text)
    {
        // An escaped or UTF-8 value never has more UTF-16 characters than bytes.
        Span<char> destination = text.GetSpan(reader.ValueSpan.Length);
        text.Advance(reader.CopyString(destination));
    }

    private static ChatRole ReadRole(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("user"u8) ? ChatRole.User
        : reader.ValueTextEquals("assistant"u8) ? ChatRole.Assistant
        : reader.ValueTextEquals("system"u8) ? ChatRole.System
        : reader.ValueTextEquals("developer"u8) ? ChatRole.Developer
        : reader.ValueTextEquals("tool"u8) || reader.ValueTextEquals("function"u8) || reader.ValueTextEquals("ipython"u8) ? ChatRole.Tool
        : ChatRole.Other;

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string property)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"'{property}' must be a JSON {(type == JsonTokenType.StartArray ? "array" : "object")}.");
        }
    }
}
