using System.Text.Json;

namespace SkGroq.Models;

/// <summary>One entry of Groq's <c>GET /openai/v1/models</c> answer.</summary>
/// <param name="Id">The model id.</param>
/// <param name="OwnedBy">The owner.</param>
/// <param name="Active">Whether the model is active.</param>
/// <param name="ContextWindow">The context window, when reported.</param>
/// <param name="MaxCompletionTokens">The largest completion, when reported.</param>
public sealed record RemoteModel(string Id, string? OwnedBy, bool Active, int? ContextWindow, int? MaxCompletionTokens)
{
    /// <summary>Parses a <c>{"object":"list","data":[…]}</c> document.</summary>
    /// <param name="json">The response body.</param>
    /// <returns>The models, in the order listed.</returns>
    /// <exception cref="FormatException">The body is not a model list.</exception>
    public static IReadOnlyList<RemoteModel> ParseList(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using JsonDocument document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("data", out JsonElement data)
                || data.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The models endpoint did not answer with {\"object\":\"list\",\"data\":[…]}. Check that the base URL points at an OpenAI-compatible API.");
            }

            var models = new List<RemoteModel>(data.GetArrayLength());
            foreach (JsonElement item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                models.Add(new RemoteModel(
                    id.GetString()!,
                    item.TryGetProperty("owned_by", out JsonElement owner) && owner.ValueKind == JsonValueKind.String ? owner.GetString() : null,
                    !item.TryGetProperty("active", out JsonElement active) || active.ValueKind != JsonValueKind.False,
                    TryGetInt(item, "context_window"),
                    TryGetInt(item, "max_completion_tokens")));
            }

            return models;
        }
        catch (JsonException ex)
        {
            throw new FormatException("The models endpoint answered with something that is not JSON. Check that the base URL points at an OpenAI-compatible API.", ex);
        }
    }

    private static int? TryGetInt(JsonElement item, string name)
        => item.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;
}
