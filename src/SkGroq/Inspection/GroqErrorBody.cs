using System.Text.Json;
namespace SkGroq.Inspection;

/// <summary>The fields of Groq's <c>{"error":{…}}</c> object.</summary>
/// <param name="Message">error.message.</param>
/// <param name="Type">error.type.</param>
/// <param name="Code">error.code (string or number).</param>
/// <param name="Param">error.param.</param>
/// <param name="FailedGeneration">error.failed_generation.</param>
/// <param name="StatusCode">error.status_code (mid-stream frames only).</param>
internal sealed record GroqErrorBody(string? Message, string? Type, string? Code, string? Param, string? FailedGeneration, int? StatusCode)
{
    /// <summary>Parses a body that is either <c>{"error":{…}}</c> or the inner object itself.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out GroqErrorBody? body)
    {
        body = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (root.TryGetProperty("error", out JsonElement error))
            {
                if (error.ValueKind == JsonValueKind.String)
                {
                    body = new GroqErrorBody(error.GetString(), null, null, null, null, null);
                    return true;
                }

                root = error;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            body = new GroqErrorBody(
                GetString(root, "message"),
                GetString(root, "type"),
                GetString(root, "code"),
                GetString(root, "param"),
                GetString(root, "failed_generation"),
                root.TryGetProperty("status_code", out JsonElement status) && status.ValueKind == JsonValueKind.Number && status.TryGetInt32(out int s) ? s : null);
            return body.Message is not null || body.Type is not null || body.Code is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? GetString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }
}
