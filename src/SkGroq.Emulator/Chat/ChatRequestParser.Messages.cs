using System.Text.Json;
using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Chat;

/// <summary>Message checks: roles, per-role properties, required fields.</summary>
internal static partial class ChatRequestParser
{
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
}
