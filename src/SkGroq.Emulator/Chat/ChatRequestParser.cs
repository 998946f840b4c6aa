using System.Text.Json;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Chat;

/// <summary>Parses and schema-checks a chat-completion body the way Groq does (docs/GROQ-API.md §2.3).</summary>
internal static partial class ChatRequestParser
{
    private const int MaxStopSequences = 4;

    /// <summary>Reads the <c>model</c> property alone (faults and accounting need it before validation).</summary>
    public static string? PeekModel(JsonDocument document)
        => document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("model"u8, out JsonElement model)
            && model.ValueKind == JsonValueKind.String ? model.GetString() : null;

    public static ApiError? Parse(JsonDocument document, EmulatorBehavior behavior, out ChatRequest? request)
    {
        request = null;
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ApiError.BadRequest($"request body must be a JSON object, but got {Describe(root.ValueKind)}");
        }

        var parsed = new ChatRequest(document);
        bool hasMessages = false;
        int? n = null;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            ApiError? error = Property(property, parsed, behavior, ref hasMessages, ref n);
            if (error is not null)
            {
                return error;
            }
        }

        ApiError? failure = parsed.Model.Length == 0
            ? ApiError.BadRequest("property 'model' is missing", "model")
            : !hasMessages
                ? ApiError.BadRequest("property 'messages' is missing", "messages")
                : Messages(parsed.Messages, behavior)
                    ?? (n is { } count && count != 1 ? ApiError.BadRequest(count < 1 ? $"'n' : must be >= 1 but found {count}" : $"'n' : must be <= 1 but found {count}", "n") : null)
                    ?? (parsed.ReasoningFormat is not null && parsed.IncludeReasoning is not null
                        ? ApiError.BadRequest("'reasoning_format' and 'include_reasoning' cannot be used together; use one of them", "reasoning_format")
                        : null)
                    ?? (parsed.ReasoningFormat == "raw" && (parsed.HasTools || parsed.JsonMode)
                        ? ApiError.BadRequest("reasoning_format 'raw' is not supported with JSON mode or tool use; use 'parsed' or 'hidden'", "reasoning_format")
                        : null);
        if (failure is not null)
        {
            return failure;
        }

        request = parsed;
        return null;
    }

    private static ApiError? Property(JsonProperty property, ChatRequest parsed, EmulatorBehavior behavior, ref bool hasMessages, ref int? n)
    {
        JsonElement value = property.Value;
        switch (property.Name)
        {
            case "model":
                ApiError? modelError = String(value, "model", out string? model);
                parsed.Model = model ?? parsed.Model;
                return modelError;
            case "messages":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return TypeError("messages", "array", value);
                }

                parsed.Messages = value;
                hasMessages = true;
                return null;
            case "stream":
                ApiError? streamError = Bool(value, "stream", out bool? stream);
                parsed.Stream = stream ?? parsed.Stream;
                return streamError;
            case "stream_options" when behavior.AcceptStreamOptions:
                return StreamOptions(value, parsed);
            case "max_completion_tokens":
                ApiError? maxError = Integer(value, "max_completion_tokens", out int? max);
                if (maxError is null && max is not null)
                {
                    parsed.MaxTokens = max;
                    parsed.MaxTokensParam = "max_completion_tokens";
                }

                return maxError;
            case "max_tokens":
                ApiError? legacyError = Integer(value, "max_tokens", out int? legacy);

                // max_completion_tokens wins when both are present, whatever their order.
                if (legacyError is null && legacy is not null && (parsed.MaxTokens is null || parsed.MaxTokensParam == "max_tokens"))
                {
                    parsed.MaxTokens = legacy;
                    parsed.MaxTokensParam = "max_tokens";
                }

                return legacyError;
            case "stop":
                return Stop(value, parsed);
            case "seed":
                if (value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (!value.TryGetInt64(out long seed))
                {
                    return TypeError("seed", "integer", value);
                }

                parsed.Seed = seed;
                return null;
            case "n":
                if (value.ValueKind == JsonValueKind.Null)
                {
                    return null;
                }

                if (!value.TryGetInt32(out int choices))
                {
                    return TypeError("n", "integer", value);
                }

                n = choices;
                return null;
            case "tools":
                return Tools(value, parsed);
            case "tool_choice":
                return ToolChoice(value, parsed);
            case "response_format":
                return ResponseFormat(value, parsed);
            case "parallel_tool_calls":
                ApiError? parallelError = Bool(value, "parallel_tool_calls", out bool? parallel);
                parsed.ParallelToolCalls = parallel ?? parsed.ParallelToolCalls;
                return parallelError;
            case "disable_tool_validation":
                ApiError? disableError = Bool(value, "disable_tool_validation", out bool? disable);
                parsed.DisableToolValidation = disable ?? parsed.DisableToolValidation;
                return disableError;
            case "reasoning_format":
                ApiError? formatError = String(value, "reasoning_format", out string? format);
                parsed.ReasoningFormat = format;
                return formatError;
            case "include_reasoning":
                ApiError? includeError = Bool(value, "include_reasoning", out bool? include);
                parsed.IncludeReasoning = include;
                return includeError;
            case "reasoning_effort":
                ApiError? effortError = String(value, "reasoning_effort", out string? effort);
                parsed.ReasoningEffort = effort;
                return effortError;
            case "logprobs" or "top_logprobs" or "logit_bias" when behavior.RejectLogprobs && value.ValueKind != JsonValueKind.Null:
                return ApiError.BadRequest($"'{property.Name}' is not supported with this model", property.Name);
            default:
                return IsKnown(property.Name, behavior) || !behavior.RejectUnknownProperties
                    ? null
                    : ApiError.UnsupportedProperty(property.Name, PropertySuggester.Closest(property.Name, KnownTopLevel(behavior)));
        }
    }

    private static bool IsKnown(string name, EmulatorBehavior behavior)
        => (name != "stream_options" || behavior.AcceptStreamOptions) && System.Array.IndexOf(KnownProperties.TopLevel, name) >= 0;

    private static string[] KnownTopLevel(EmulatorBehavior behavior)
        => behavior.AcceptStreamOptions ? KnownProperties.TopLevel : System.Array.FindAll(KnownProperties.TopLevel, p => p != "stream_options");
}
