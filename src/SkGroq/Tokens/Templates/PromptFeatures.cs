namespace SkGroq.Tokens.Templates;

/// <summary>Request-level settings that change how a prompt is rendered.</summary>
/// <param name="ReasoningDisabled">Whether <c>reasoning_effort</c> is <c>none</c> (Qwen3 then renders an empty thinking block).</param>
/// <param name="ToolCount">The number of tool definitions.</param>
/// <param name="ToolTokens">The tokens of the tool definitions' JSON, counted with the family's vocabulary.</param>
/// <param name="ToolChoiceNone">Whether <c>tool_choice</c> is <c>none</c>.</param>
internal readonly record struct PromptFeatures(bool ReasoningDisabled, int ToolCount = 0, long ToolTokens = 0, bool ToolChoiceNone = false);
