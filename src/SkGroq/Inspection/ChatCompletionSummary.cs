using SkGroq.Usage;

namespace SkGroq.Inspection;

/// <summary>What the inspection handler reads from a non-streaming chat completion body (docs/GROQ-API.md §3).</summary>
/// <param name="Model">The <c>model</c> that answered.</param>
/// <param name="RequestId"><c>x_groq.id</c>.</param>
/// <param name="FinishReason">The first choice's <c>finish_reason</c>.</param>
/// <param name="Usage"><c>usage</c>, else <c>x_groq.usage</c> when it holds token counts.</param>
/// <param name="HasContent">Whether a choice carried text, reasoning or tool calls.</param>
/// <param name="ErrorJson">A <c>{"error":…}</c> body sent with status 200, if any.</param>
internal sealed record ChatCompletionSummary(string? Model, string? RequestId, string? FinishReason, GroqUsage? Usage, bool HasContent, byte[]? ErrorJson);
