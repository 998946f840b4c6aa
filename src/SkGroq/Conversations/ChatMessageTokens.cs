using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Tokens;

namespace SkGroq.Conversations;

/// <summary>Turns Semantic Kernel messages into the role/content pairs the token counter renders with the chat template.</summary>
internal static class ChatMessageTokens
{
    public static PromptMessage ToPrompt(ChatMessageContent message)
    {
        string role = message.Role == AuthorRole.Tool ? "tool" : message.Role.Label;
        StringBuilder? text = null;
        foreach (KernelContent item in message.Items)
        {
            string? piece = item switch
            {
                TextContent t => t.Text,

                // A tool call is sent as its name and JSON arguments; a result as its text. Both count as content.
                FunctionCallContent call => $"{call.PluginName}-{call.FunctionName}({(call.Arguments is null ? string.Empty : System.Text.Json.JsonSerializer.Serialize(call.Arguments))})",
                FunctionResultContent result => result.Result?.ToString(),
                _ => null,
            };
            if (piece is not null)
            {
                (text ??= new StringBuilder()).Append(piece);
            }
        }

        return new PromptMessage(role, text?.ToString() ?? message.Content);
    }

    public static int Count(ITokenCounter counter, IEnumerable<ChatMessageContent> messages)
        => counter.CountPromptTokens(messages.Select(ToPrompt));
}
