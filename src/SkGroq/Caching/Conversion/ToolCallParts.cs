using System.Text;
using System.Text.Json;
namespace SkGroq.Caching.Conversion;

/// <summary>One tool call put together from its stream deltas (Groq sends it whole; the OpenAI shape allows fragments).</summary>
internal sealed class ToolCallParts
{
    public string? Id { get; private set; }

    public string? Type { get; private set; }

    public StringBuilder Name { get; } = new();

    public StringBuilder Arguments { get; } = new();

    /// <summary>Adds one delta of the call.</summary>
    /// <param name="delta">The <c>tool_calls[i]</c> element of a chunk.</param>
    public void Add(JsonElement delta)
    {
        if (delta.TryGetProperty("id"u8, out JsonElement id) && id.ValueKind == JsonValueKind.String)
        {
            Id ??= id.GetString();
        }

        if (delta.TryGetProperty("type"u8, out JsonElement type) && type.ValueKind == JsonValueKind.String)
        {
            Type ??= type.GetString();
        }

        if (delta.TryGetProperty("function"u8, out JsonElement function) && function.ValueKind == JsonValueKind.Object)
        {
            if (function.TryGetProperty("name"u8, out JsonElement name) && name.ValueKind == JsonValueKind.String)
            {
                Name.Append(name.GetString());
            }

            if (function.TryGetProperty("arguments"u8, out JsonElement arguments) && arguments.ValueKind == JsonValueKind.String)
            {
                Arguments.Append(arguments.GetString());
            }
        }
    }
}
