namespace SkGroq.Tokens;

/// <summary>The local estimate of the prompt tokens Groq will report for one chat-completion request.</summary>
/// <param name="PromptTokens">The count itself: chat template, content, and calibrated estimates for tools, schemas and images.</param>
/// <param name="BudgetTokens">The count with the model's safety margin and calibration applied: what the limiter reserves. Never below <paramref name="PromptTokens"/>.</param>
/// <param name="Exact">Whether the count is exact (the model's own vocabulary and template, no estimated parts).</param>
/// <param name="Vocabulary">The vocabulary used, e.g. <c>llama3</c>, <c>cl100k_base</c>, <c>o200k_harmony</c>.</param>
public readonly record struct RequestTokenEstimate(long PromptTokens, long BudgetTokens, bool Exact, string Vocabulary);
