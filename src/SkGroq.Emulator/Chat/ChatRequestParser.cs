using System.Text.Json;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Chat;

/// <summary>Parses and schema-checks a chat-completion body the way Groq does (../shared/groq-api.md §2.3, §10.2).</summary>
internal static class ChatRequestParser
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

    private static ApiError? Messages(JsonElement messages, EmulatorBehavior behavior)
    {
        int count = messages.GetArrayLength();
        if (count == 0)
        {
            return ApiError.BadRequest("'messages' : minimum 1 items required, but found 0 items", "messages");
        }

        int index = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                return ApiError.BadRequest($"'messages.{index}' : expected object, but got {Describe(message.ValueKind)}", "messages");
            }

            if (!message.TryGetProperty("role"u8, out JsonElement roleElement) || roleElement.ValueKind != JsonValueKind.String)
            {
                return ApiError.BadRequest($"'messages.{index}' : missing property 'role'", "messages");
            }

            string role = roleElement.GetString()!;
            string[]? known = KnownProperties.ForRole(role);
            if (known is null)
            {
                return ApiError.BadRequest($"'messages.{index}' : discriminator property 'role' has invalid value '{role}'", "messages");
            }

            bool hasContent = false;
            foreach (JsonProperty property in message.EnumerateObject())
            {
                bool rejectedName = property.NameEquals("name"u8) && behavior.RejectMessageName;
                if (rejectedName || System.Array.IndexOf(known, property.Name) < 0)
                {
                    if (behavior.RejectUnknownProperties || rejectedName)
                    {
                        string[] candidates = rejectedName ? System.Array.FindAll(known, p => p != "name") : known;
                        return ApiError.UnsupportedMessageProperty(index, role, property.Name, PropertySuggester.Closest(property.Name, candidates));
                    }

                    continue;
                }

                hasContent |= property.NameEquals("content"u8) && property.Value.ValueKind != JsonValueKind.Null;
            }

            if (!hasContent && role != "assistant")
            {
                return ApiError.BadRequest($"'messages.{index}' : for 'role:{role}' the following must be satisfied[('messages.{index}' : missing property 'content')]", "messages");
            }

            if (role == "tool" && !message.TryGetProperty("tool_call_id"u8, out _))
            {
                return ApiError.BadRequest($"'messages.{index}' : for 'role:tool' the following must be satisfied[('messages.{index}' : missing property 'tool_call_id')]", "messages");
            }

            index++;
        }

        return null;
    }

    private static ApiError? StreamOptions(JsonElement value, ChatRequest request)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return TypeError("stream_options", "object", value);
        }

        if (value.TryGetProperty("include_usage"u8, out JsonElement include))
        {
            request.IncludeUsage = include.ValueKind == JsonValueKind.True;
        }

        return null;
    }

    private static ApiError? Stop(JsonElement value, ChatRequest request)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                request.Stop = [value.GetString()!];
                return null;
            case JsonValueKind.Array:
                int count = value.GetArrayLength();
                if (count > MaxStopSequences)
                {
                    return ApiError.BadRequest($"'stop' : maximum {MaxStopSequences} items required, but found {count} items", "stop");
                }

                var stops = new List<string>(count);
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return TypeError("stop", "string", item);
                    }

                    stops.Add(item.GetString()!);
                }

                request.Stop = stops;
                return null;
            default:
                return TypeError("stop", "string or array", value);
        }
    }

    private static ApiError? Tools(JsonElement value, ChatRequest request)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return TypeError("tools", "array", value);
        }

        int index = 0;
        foreach (JsonElement tool in value.EnumerateArray())
        {
            if (tool.ValueKind == JsonValueKind.Object
                && tool.TryGetProperty("function"u8, out JsonElement function)
                && function.ValueKind == JsonValueKind.Object
                && function.TryGetProperty("name"u8, out JsonElement name)
                && name.ValueKind == JsonValueKind.String)
            {
                request.ToolNames.Add(name.GetString()!);
            }
            else if (!(tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("type"u8, out JsonElement type) && type.ValueKind == JsonValueKind.String && !type.ValueEquals("function"u8)))
            {
                return ApiError.BadRequest($"'tools.{index}' : missing property 'function.name'", "tools");
            }

            index++;
        }

        return null;
    }

    private static ApiError? ToolChoice(JsonElement value, ChatRequest request)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                string choice = value.GetString()!;
                if (choice is not ("none" or "auto" or "required"))
                {
                    return ApiError.BadRequest($"'tool_choice' : value must be one of 'none', 'auto', 'required', but got '{choice}'", "tool_choice");
                }

                request.ToolChoice = choice;
                return null;
            case JsonValueKind.Object when value.TryGetProperty("function"u8, out JsonElement function)
                && function.ValueKind == JsonValueKind.Object
                && function.TryGetProperty("name"u8, out JsonElement name)
                && name.ValueKind == JsonValueKind.String:
                request.ToolChoice = name.GetString();
                request.ToolChoiceFunction = true;
                return null;
            default:
                return TypeError("tool_choice", "string or object", value);
        }
    }

    private static ApiError? String(JsonElement value, string name, out string? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return TypeError(name, "string", value);
        }

        result = value.GetString();
        return null;
    }

    private static ApiError? Bool(JsonElement value, string name, out bool? result)
    {
        result = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                result = value.GetBoolean();
                return null;
            default:
                return TypeError(name, "boolean", value);
        }
    }

    private static ApiError? Integer(JsonElement value, string name, out int? result)
    {
        result = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
        {
            return TypeError(name, "integer", value);
        }

        if (number < 1)
        {
            return ApiError.BadRequest($"'{name}' : must be >= 1 but found {number}", name);
        }

        result = number;
        return null;
    }

    private static ApiError TypeError(string name, string expected, JsonElement value)
        => ApiError.BadRequest($"'{name}' : expected {expected}, but got {Describe(value.ValueKind)}", name);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
