namespace SkGroq.Tokens;

/// <summary>One chat message to count: a role (<c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>) and its text.</summary>
/// <param name="Role">The role, as in the OpenAI chat-completion API.</param>
/// <param name="Content">The text content.</param>
public readonly record struct PromptMessage(string Role, string? Content);
