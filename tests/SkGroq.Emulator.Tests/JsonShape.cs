using System.Text;
using System.Text.Json;

namespace SkGroq.Tests.Emulator;

/// <summary>The shape of a JSON value: property names in order and value kinds, recursively (values ignored).</summary>
internal static class JsonShape
{
    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Of(document.RootElement);
    }

    public static string Of(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return text.ToString();
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    text.Append(property.Name).Append(':');
                    Write(property.Value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case JsonValueKind.Number:
                text.Append(element.TryGetInt64(out _) ? "int" : "float");
                break;
            case JsonValueKind.True or JsonValueKind.False:
                text.Append("bool");
                break;
            default:
                text.Append(element.ValueKind.ToString().ToLowerInvariant());
                break;
        }
    }
}
