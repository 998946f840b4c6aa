using SkGroq.SemanticKernel;
using SkGroq.Usage;

namespace SkGroq.Conversations;

/// <summary>One completed turn of a <see cref="GroqConversation"/>.</summary>
/// <param name="Result">The streamed answer and its measurements.</param>
/// <param name="Usage">The turn's usage: the sum over its round trips (tool calls and summarization included).</param>
/// <param name="DroppedMessages">How many older messages the reducer dropped to fit the budget before this turn.</param>
/// <param name="Summarized">Whether the dropped messages were summarized.</param>
public sealed record ConversationTurn(StreamingChatResult Result, UsageTotals Usage, int DroppedMessages, bool Summarized)
{
    /// <summary>Gets the answer text.</summary>
    public string Text => Result.Text;
}
