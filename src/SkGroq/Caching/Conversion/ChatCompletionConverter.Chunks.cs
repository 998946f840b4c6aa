using System.Text.Json;
namespace SkGroq.Caching.Conversion;

/// <content>JSON body → stream payloads.</content>
internal static partial class ChatCompletionConverter
{
    /// <summary>Builds the stream payloads (without <c>[DONE]</c>) that deliver a <c>chat.completion</c> body.</summary>
    /// <param name="json">The body.</param>
    /// <returns>Role, reasoning, content, tool-call, finish and usage-only chunks (those the body has content for).</returns>
    /// <exception cref="JsonException">The body is not a chat completion.</exception>
    public static IReadOnlyList<byte[]> ToChunks(ReadOnlyMemory<byte> json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices"u8, out JsonElement choices)
            || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            throw new JsonException("The body is not a chat completion with a choice.");
        }

        JsonElement? xGroq = Present(root, "x_groq"u8);
        var header = new ChunkHeader(Present(root, "id"u8), Present(root, "created"u8), Present(root, "model"u8), Present(root, "system_fingerprint"u8), xGroq is { } x ? Present(x, "id"u8) : null);
        JsonElement? usage = Present(root, "usage"u8) ?? (xGroq is { } g ? Present(g, "usage"u8) : null);
        JsonElement choice = choices[0];
        JsonElement? message = Present(choice, "message"u8);
        JsonElement? content = message is { } m1 ? Present(m1, "content"u8) : null;
        JsonElement? reasoning = message is { } m2 ? Present(m2, "reasoning"u8) : null;
        JsonElement? toolCalls = message is { } m3 ? Present(m3, "tool_calls"u8) : null;

        var chunks = new List<byte[]>(6)
        {
            // Groq's first chunk: the role, empty content (null when the model goes straight to a tool call) and x_groq.id.
            Write(writer => WriteDelta(writer, header, withRequestId: true, delta =>
            {
                delta.WriteString("role"u8, "assistant"u8);
                if (content is null && toolCalls is not null)
                {
                    delta.WriteNull("content"u8);
                }
                else
                {
                    delta.WriteString("content"u8, string.Empty);
                }
            })),
        };

        if (reasoning is { ValueKind: JsonValueKind.String } r && r.GetString() is { Length: > 0 })
        {
            chunks.Add(Write(writer => WriteDelta(writer, header, withRequestId: false, delta => WriteMember(delta, "reasoning"u8, r))));
        }

        if (content is { ValueKind: JsonValueKind.String } c && c.GetString() is { Length: > 0 })
        {
            chunks.Add(Write(writer => WriteDelta(writer, header, withRequestId: false, delta => WriteMember(delta, "content"u8, c))));
        }

        if (toolCalls is { ValueKind: JsonValueKind.Array } calls)
        {
            int index = 0;
            foreach (JsonElement call in calls.EnumerateArray())
            {
                int i = index++;
                chunks.Add(Write(writer => WriteDelta(writer, header, withRequestId: false, delta =>
                {
                    delta.WriteStartArray("tool_calls"u8);
                    delta.WriteStartObject();
                    foreach (JsonProperty member in call.EnumerateObject())
                    {
                        if (!member.NameEquals("index"u8))
                        {
                            member.WriteTo(delta);
                        }
                    }

                    delta.WriteNumber("index"u8, i);
                    delta.WriteEndObject();
                    delta.WriteEndArray();
                })));
            }
        }

        JsonElement? finishReason = Present(choice, "finish_reason"u8);
        chunks.Add(Write(writer => WriteFinish(writer, header, finishReason, usage)));
        if (usage is not null)
        {
            chunks.Add(Write(writer => WriteUsageChunk(writer, header, usage, Present(root, "service_tier"u8))));
        }

        return chunks;
    }

    private static void WriteDelta(Utf8JsonWriter writer, ChunkHeader header, bool withRequestId, Action<Utf8JsonWriter> delta)
    {
        writer.WriteStartObject();
        WriteHeader(writer, header, "chat.completion.chunk");
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        delta(writer);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteNull("finish_reason"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (withRequestId && header.RequestId is { } requestId)
        {
            writer.WriteStartObject("x_groq"u8);
            WriteMember(writer, "id"u8, requestId);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteFinish(Utf8JsonWriter writer, ChunkHeader header, JsonElement? finishReason, JsonElement? usage)
    {
        writer.WriteStartObject();
        WriteHeader(writer, header, "chat.completion.chunk");
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (finishReason is { } finish)
        {
            WriteMember(writer, "finish_reason"u8, finish);
        }
        else
        {
            writer.WriteNull("finish_reason"u8);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();

        // As Groq's 2026 finish chunk: usage in x_groq and, identical, at the top level.
        if (header.RequestId is not null || usage is not null)
        {
            writer.WriteStartObject("x_groq"u8);
            WriteIfPresent(writer, "id"u8, header.RequestId);
            WriteIfPresent(writer, "usage"u8, usage);
            writer.WriteEndObject();
        }

        WriteIfPresent(writer, "usage"u8, usage);
        writer.WriteEndObject();
    }

    private static void WriteMember(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        writer.WritePropertyName(name);
        value.WriteTo(writer);
    }

    private static JsonElement? Present(JsonElement element, ReadOnlySpan<byte> name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
