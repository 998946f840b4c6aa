using System.Text;
using System.Text.Json;
namespace SkGroq.Caching.Conversion;

/// <summary>What the chunks of one streamed answer add up to: the header, the joined deltas, the finish reason and the usage.</summary>
internal sealed class StreamedAnswer
{
    private StreamedAnswer()
    {
    }

    public ChunkHeader Header { get; private set; } = new(null, null, null, null, null);

    public string? Role { get; private set; }

    public StringBuilder? Content { get; private set; }

    public StringBuilder? Reasoning { get; private set; }

    public SortedDictionary<int, ToolCallParts> ToolCalls { get; } = [];

    public JsonElement? FinishReason { get; private set; }

    public JsonElement? Usage { get; private set; }

    public JsonElement? ServiceTier { get; private set; }

    /// <summary>Adds up a stream's payloads.</summary>
    /// <param name="chunks">The payloads.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="JsonException">A payload is not JSON.</exception>
    public static StreamedAnswer Accumulate(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        var answer = new StreamedAnswer();
        JsonElement? xGroqUsage = null;
        foreach (ReadOnlyMemory<byte> chunk in chunks)
        {
            using JsonDocument document = JsonDocument.Parse(chunk);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            ChunkHeader header = answer.Header;
            answer.Header = header with
            {
                Id = header.Id ?? Member(root, "id"u8),
                Created = header.Created ?? Member(root, "created"u8),
                Model = header.Model ?? Member(root, "model"u8),
                SystemFingerprint = header.SystemFingerprint ?? Member(root, "system_fingerprint"u8),
            };
            answer.ServiceTier ??= Member(root, "service_tier"u8);
            answer.Usage ??= Member(root, "usage"u8) is { ValueKind: JsonValueKind.Object } usage ? usage : null;
            if (root.TryGetProperty("x_groq"u8, out JsonElement xGroq) && xGroq.ValueKind == JsonValueKind.Object)
            {
                answer.Header = answer.Header with { RequestId = answer.Header.RequestId ?? Member(xGroq, "id"u8) };
                xGroqUsage ??= Member(xGroq, "usage"u8) is { ValueKind: JsonValueKind.Object } groqUsage ? groqUsage : null;
            }

            if (root.TryGetProperty("choices"u8, out JsonElement choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement choice in choices.EnumerateArray())
                {
                    // Groq answers n = 1 only; a choice with another index would belong to another message.
                    if (choice.TryGetProperty("index"u8, out JsonElement index) && index.ValueKind == JsonValueKind.Number && index.GetInt32() != 0)
                    {
                        continue;
                    }

                    answer.AddChoice(choice);
                }
            }
        }

        // Groq repeats usage in x_groq.usage (2024 streams had only that); the top-level one wins when both exist.
        answer.Usage ??= xGroqUsage;
        return answer;
    }

    private static JsonElement? Member(JsonElement element, ReadOnlySpan<byte> name)
        => element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.Clone() : null;

    private void AddChoice(JsonElement choice)
    {
        if (Member(choice, "finish_reason"u8) is { } finish)
        {
            FinishReason = finish;
        }

        if (!choice.TryGetProperty("delta"u8, out JsonElement delta) || delta.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (delta.TryGetProperty("role"u8, out JsonElement role) && role.ValueKind == JsonValueKind.String)
        {
            Role ??= role.GetString();
        }

        if (delta.TryGetProperty("content"u8, out JsonElement content) && content.ValueKind == JsonValueKind.String)
        {
            (Content ??= new StringBuilder()).Append(content.GetString());
        }

        if (delta.TryGetProperty("reasoning"u8, out JsonElement reasoning) && reasoning.ValueKind == JsonValueKind.String)
        {
            (Reasoning ??= new StringBuilder()).Append(reasoning.GetString());
        }

        if (delta.TryGetProperty("tool_calls"u8, out JsonElement calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement call in calls.EnumerateArray())
            {
                int index = call.TryGetProperty("index"u8, out JsonElement i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : ToolCalls.Count;
                if (!ToolCalls.TryGetValue(index, out ToolCallParts? parts))
                {
                    ToolCalls[index] = parts = new ToolCallParts();
                }

                parts.Add(call);
            }
        }
    }
}
