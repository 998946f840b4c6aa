using System.Text.Json;
namespace SkGroq.Caching.Conversion;

/// <content>Stream payloads → JSON body.</content>
internal static partial class ChatCompletionConverter
{
    private static void WriteCompletion(Utf8JsonWriter writer, StreamedAnswer answer)
    {
        // Groq's key order (docs/GROQ-API.md §3): id, object, created, model, choices, usage, system_fingerprint, x_groq, service_tier.
        writer.WriteStartObject();
        WriteIfPresent(writer, "id"u8, answer.Header.Id);
        writer.WriteString("object"u8, "chat.completion"u8);
        WriteIfPresent(writer, "created"u8, answer.Header.Created);
        WriteIfPresent(writer, "model"u8, answer.Header.Model);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, answer.Role ?? "assistant");
        if (answer.Content is { } content)
        {
            writer.WriteString("content"u8, content.ToString());
        }
        else if (answer.ToolCalls.Count > 0)
        {
            writer.WriteNull("content"u8);
        }
        else
        {
            writer.WriteString("content"u8, string.Empty);
        }

        if (answer.Reasoning is { } reasoning)
        {
            writer.WriteString("reasoning"u8, reasoning.ToString());
        }

        if (answer.ToolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls"u8);
            foreach (ToolCallParts call in answer.ToolCalls.Values)
            {
                writer.WriteStartObject();
                if (call.Id is not null)
                {
                    writer.WriteString("id"u8, call.Id);
                }

                writer.WriteString("type"u8, call.Type ?? "function");
                writer.WriteStartObject("function"u8);
                writer.WriteString("name"u8, call.Name.ToString());
                writer.WriteString("arguments"u8, call.Arguments.ToString());
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        if (answer.FinishReason is { } finish)
        {
            WriteMember(writer, "finish_reason"u8, finish);
        }
        else
        {
            writer.WriteNull("finish_reason"u8);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteIfPresent(writer, "usage"u8, answer.Usage);
        WriteIfPresent(writer, "system_fingerprint"u8, answer.Header.SystemFingerprint);
        if (answer.Header.RequestId is { } requestId)
        {
            writer.WriteStartObject("x_groq"u8);
            WriteMember(writer, "id"u8, requestId);
            writer.WriteEndObject();
        }

        WriteIfPresent(writer, "service_tier"u8, answer.ServiceTier);
        writer.WriteEndObject();
    }
}
