using SkGroq.Emulator.Wire;

namespace SkGroq.Emulator.Chat;

/// <summary>Everything an answer will contain, decided before the first byte is sent.</summary>
internal sealed class ReplyPlan
{
    /// <summary>Gets the answer text (for raw Qwen3 reasoning, including the <c>&lt;think&gt;</c> block).</summary>
    public PieceText Content { get; set; } = PieceText.Empty;

    /// <summary>Gets or sets the reasoning sent in <c>reasoning</c> (parsed format); <see langword="null"/> when not shown.</summary>
    public PieceText? Reasoning { get; set; }

    /// <summary>Gets or sets a value indicating whether reasoning deltas carry <c>"channel":"analysis"</c> (gpt-oss).</summary>
    public bool ReasoningChannel { get; set; }

    public List<PlannedToolCall> ToolCalls { get; } = [];

    public string FinishReason { get; set; } = "stop";

    public int CompletionTokens { get; set; }

    /// <summary>Gets or sets <c>completion_tokens_details.reasoning_tokens</c>; absent when 0.</summary>
    public int ReasoningTokens { get; set; }

    /// <summary>Gets or sets a generation failure (<c>tool_use_failed</c>): 400 for JSON, an error frame for streams.</summary>
    public ApiError? Error { get; set; }

    /// <summary>Gets or sets the seed reported in <c>x_groq.seed</c>.</summary>
    public long Seed { get; set; }
}
