using System.Text.Json;
using SkGroq.Emulator.Chat;

namespace SkGroq.Emulator.Wire;

/// <summary>Writes chat-completion bodies in Groq's key order (docs/GROQ-API.md §3, §9 (a)).</summary>
internal static class CompletionJson
{
    /// <summary><c>id, object, created, model, choices, usage, usage_breakdown, system_fingerprint, x_groq, service_tier</c>.</summary>
    public static void WriteCompletion(Utf8JsonWriter writer, CompletionHeader header, ReplyPlan plan, in UsageNumbers usage, EmulatorBehavior behavior)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, header.Id);
        writer.WriteString("object"u8, "chat.completion"u8);
        writer.WriteNumber("created"u8, header.Created);
        writer.WriteString("model"u8, header.Model);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        if (plan.ToolCalls.Count == 0)
        {
            writer.WriteString("content"u8, plan.Content.Text);
            if (plan.Reasoning is { } reasoning)
            {
                writer.WriteString("reasoning"u8, reasoning.Text);
            }
        }
        else
        {
            // Recorded 2025/2026: a tool-call message has no "content" key at all.
            writer.WriteStartArray("tool_calls"u8);
            foreach (PlannedToolCall call in plan.ToolCalls)
            {
                writer.WriteStartObject();
                WriteToolCall(writer, call);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, plan.FinishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, "usage"u8, usage);
        WriteUsageBreakdown(writer, behavior);
        writer.WriteString("system_fingerprint"u8, header.Fingerprint);
        writer.WriteStartObject("x_groq"u8);
        writer.WriteString("id"u8, header.RequestId);
        writer.WriteNumber("seed"u8, header.Seed);
        writer.WriteEndObject();
        if (behavior.ServiceTierInResponse)
        {
            writer.WriteString("service_tier"u8, "on_demand"u8);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>queue_time, prompt_tokens, prompt_time, completion_tokens, completion_time, total_tokens, total_time[, completion_tokens_details]</c>.</summary>
    public static void WriteUsage(Utf8JsonWriter writer, ReadOnlySpan<byte> name, in UsageNumbers usage)
    {
        writer.WriteStartObject(name);
        JsonWriting.WriteSeconds(writer, "queue_time"u8, usage.QueueNanoseconds);
        writer.WriteNumber("prompt_tokens"u8, usage.PromptTokens);
        JsonWriting.WriteSeconds(writer, "prompt_time"u8, usage.PromptNanoseconds);
        writer.WriteNumber("completion_tokens"u8, usage.CompletionTokens);
        JsonWriting.WriteSeconds(writer, "completion_time"u8, usage.CompletionNanoseconds);
        writer.WriteNumber("total_tokens"u8, usage.TotalTokens);
        JsonWriting.WriteSeconds(writer, "total_time"u8, usage.TotalNanoseconds);
        if (usage.ReasoningTokens > 0)
        {
            writer.WriteStartObject("completion_tokens_details"u8);
            writer.WriteNumber("reasoning_tokens"u8, usage.ReasoningTokens);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Every chunk starts <c>id, object, created, model, system_fingerprint, choices</c> (docs/GROQ-API.md §9 (c)).</summary>
    public static void WriteChunkStart(Utf8JsonWriter writer, CompletionHeader header)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, header.Id);
        writer.WriteString("object"u8, "chat.completion.chunk"u8);
        writer.WriteNumber("created"u8, header.Created);
        writer.WriteString("model"u8, header.Model);
        writer.WriteString("system_fingerprint"u8, header.Fingerprint);
    }

    /// <summary>First chunk: <c>delta {role, content: "" | null}</c> and <c>x_groq {id, seed}</c>.</summary>
    public static void WriteRoleChunk(Utf8JsonWriter writer, CompletionHeader header, bool contentNull)
    {
        WriteChunkStart(writer, header);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        writer.WriteString("role"u8, "assistant"u8);
        if (contentNull)
        {
            writer.WriteNull("content"u8);
        }
        else
        {
            writer.WriteString("content"u8, ""u8);
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteNull("finish_reason"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("x_groq"u8);
        writer.WriteString("id"u8, header.RequestId);
        writer.WriteNumber("seed"u8, header.Seed);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A text chunk: <c>delta {content}</c>, or <c>delta {reasoning[, channel: "analysis"]}</c>.</summary>
    public static void WriteDeltaChunk(Utf8JsonWriter writer, CompletionHeader header, ReadOnlySpan<char> text, bool reasoning, bool channel)
    {
        WriteChunkStart(writer, header);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        if (reasoning)
        {
            writer.WriteString("reasoning"u8, text);
            if (channel)
            {
                writer.WriteString("channel"u8, "analysis"u8);
            }
        }
        else
        {
            writer.WriteString("content"u8, text);
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteNull("finish_reason"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A whole tool call in one delta: <c>{"tool_calls":[{id, type, function {name, arguments}, index}]}</c> (docs/GROQ-API.md §9 (e)).</summary>
    public static void WriteToolCallChunk(Utf8JsonWriter writer, CompletionHeader header, PlannedToolCall call, int index)
    {
        WriteChunkStart(writer, header);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        writer.WriteStartArray("tool_calls"u8);
        writer.WriteStartObject();
        WriteToolCall(writer, call);
        writer.WriteNumber("index"u8, index);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteNull("finish_reason"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Finish chunk: <c>delta {}</c>, finish_reason, <c>x_groq {id, usage}</c> and (2026) a top-level <c>usage</c>.</summary>
    public static void WriteFinishChunk(Utf8JsonWriter writer, CompletionHeader header, string finishReason, in UsageNumbers usage, bool topLevelUsage)
    {
        WriteChunkStart(writer, header);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteString("finish_reason"u8, finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("x_groq"u8);
        writer.WriteString("id"u8, header.RequestId);
        WriteUsage(writer, "usage"u8, usage);
        writer.WriteEndObject();
        if (topLevelUsage)
        {
            WriteUsage(writer, "usage"u8, usage);
        }

        writer.WriteEndObject();
    }

    /// <summary>The <c>stream_options.include_usage</c> chunk: <c>choices: []</c>, usage, service_tier, no <c>x_groq</c>.</summary>
    public static void WriteUsageChunk(Utf8JsonWriter writer, CompletionHeader header, in UsageNumbers usage, bool serviceTier)
    {
        WriteChunkStart(writer, header);
        writer.WriteStartArray("choices"u8);
        writer.WriteEndArray();
        WriteUsage(writer, "usage"u8, usage);
        if (serviceTier)
        {
            writer.WriteString("service_tier"u8, "on_demand"u8);
        }

        writer.WriteEndObject();
    }

    /// <summary>A chunk whose <c>x_groq.error</c> says why the stream stopped early (spec and SDK only; never recorded).</summary>
    public static void WriteXGroqErrorChunk(Utf8JsonWriter writer, CompletionHeader header, string error)
    {
        WriteChunkStart(writer, header);
        writer.WriteStartArray("choices"u8);
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, 0);
        writer.WriteStartObject("delta"u8);
        writer.WriteEndObject();
        writer.WriteNull("logprobs"u8);
        writer.WriteNull("finish_reason"u8);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("x_groq"u8);
        writer.WriteString("id"u8, header.RequestId);
        writer.WriteString("error"u8, error);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>{"error":{message, type[, param][, code][, failed_generation][, status_code]}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter writer, ApiError error, bool withStatusCode)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error"u8);
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("type"u8, error.Type);
        if (error.Param is not null)
        {
            writer.WriteString("param"u8, error.Param);
        }

        if (error.Code is not null)
        {
            writer.WriteString("code"u8, error.Code);
        }

        if (error.FailedGeneration is not null)
        {
            writer.WriteString("failed_generation"u8, error.FailedGeneration);
        }

        if (withStatusCode)
        {
            writer.WriteNumber("status_code"u8, error.Status);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteUsageBreakdown(Utf8JsonWriter writer, EmulatorBehavior behavior)
    {
        if (behavior.UsageBreakdownModelsNull)
        {
            writer.WriteStartObject("usage_breakdown"u8);
            writer.WriteNull("models"u8);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("usage_breakdown"u8);
        }
    }

    /// <summary>Writes a tool call's <c>id</c>, <c>type</c> and <c>function {name, arguments}</c>, in the recorded order (message and stream delta alike).</summary>
    private static void WriteToolCall(Utf8JsonWriter writer, PlannedToolCall call)
    {
        writer.WriteString("id"u8, call.Id);
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        writer.WriteString("name"u8, call.Name);
        writer.WriteString("arguments"u8, call.Arguments);
        writer.WriteEndObject();
    }
}
