namespace SkGroq.Emulator.Scripting;

/// <summary>One message of a request, as a script predicate sees it.</summary>
/// <param name="Role">The role: <c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>.</param>
/// <param name="Content">The text content (text parts joined); empty when the message has none.</param>
/// <param name="ToolCallId">The <c>tool_call_id</c> of a tool result.</param>
/// <param name="ToolCallNames">The function names an assistant message called.</param>
public sealed record EmulatorMessage(string Role, string Content, string? ToolCallId, IReadOnlyList<string> ToolCallNames);
