using System.Text.Json;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Chat;

/// <summary>Typed reads of single properties, with Groq-style type errors.</summary>
internal static partial class ChatRequestParser
{
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

    private static ApiError? ResponseFormat(JsonElement value, ChatRequest request)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String)
        {
            return ApiError.BadRequest("'response_format' : missing property 'type'", "response_format");
        }

        request.JsonMode = type.ValueEquals("json_object"u8) || type.ValueEquals("json_schema"u8);
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
