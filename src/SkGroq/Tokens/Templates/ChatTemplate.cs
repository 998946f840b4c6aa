using System.Buffers;
using SkGroq.Tokens.Counting;

namespace SkGroq.Tokens.Templates;

/// <summary>A model family's chat template, as arithmetic: what each message and the fixed frame add to <c>prompt_tokens</c>.</summary>
/// <remarks>
/// Special tokens split the rendered prompt into independent stretches of text, so a prompt's count is the sum of its stretches.
/// Templates count each stretch once; where content can merge with the template text before it (content starting with
/// whitespace after a newline), the stretch is counted whole. Implementations are immutable and thread-safe.
/// </remarks>
internal abstract class ChatTemplate
{
    /// <summary>Initializes a new instance of the <see cref="ChatTemplate"/> class.</summary>
    /// <param name="text">The family's text counter.</param>
    protected ChatTemplate(TextCounter text) => Text = text;

    /// <summary>Gets the tokens billed on top of generated text.</summary>
    public abstract int EndOfTurnTokens { get; }

    /// <summary>Gets the tokens that frame generated reasoning in a completion (beyond the reasoning text itself).</summary>
    public virtual int ReasoningFrameTokens => 0;

    /// <summary>Gets the family's text counter.</summary>
    protected TextCounter Text { get; }

    /// <summary>Adds one message.</summary>
    /// <param name="role">The role.</param>
    /// <param name="content">The text content (parts already joined).</param>
    /// <param name="tally">The running count.</param>
    public void AddMessage(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally)
    {
        AddMessageCore(role, content, ref tally);
        if (role == ChatRole.Other)
        {
            tally.Inexact = true;
        }

        if (role.IsInstructions())
        {
            tally.InstructionMessages++;
        }

        tally.Messages++;
    }

    /// <summary>Adds one tool call of an assistant message (an estimate: the structure around it is not verified).</summary>
    /// <param name="name">The function name.</param>
    /// <param name="arguments">The arguments (JSON text).</param>
    /// <param name="tally">The running count.</param>
    public void AddToolCall(ReadOnlySpan<char> name, ReadOnlySpan<char> arguments, ref PromptTally tally) =>
        tally.Estimated += ToolCallOverhead + Text.Count(name) + Text.Count(arguments);

    /// <summary>Adds the fixed frame (begin, generation prompt, injected text) and the tool definitions, once all messages are in.</summary>
    /// <param name="features">The request-level settings.</param>
    /// <param name="tally">The running count.</param>
    public abstract void Finish(in PromptFeatures features, ref PromptTally tally);

    /// <summary>Gets the estimated tokens of the structure around one tool call.</summary>
    protected abstract int ToolCallOverhead { get; }

    /// <summary>Adds one message's own tokens.</summary>
    /// <param name="role">The role.</param>
    /// <param name="content">The content.</param>
    /// <param name="tally">The running count.</param>
    protected abstract void AddMessageCore(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally);

    /// <summary>Counts a template literal.</summary>
    /// <param name="text">The literal.</param>
    /// <returns>The literal with its count.</returns>
    protected TemplateLiteral Literal(string text) => new(text, Text.Count(text));

    /// <summary>Counts the stretch <c>literal + content</c> that follows a special token, minus the literal's own tokens.</summary>
    /// <param name="literal">The template text right before the content (it must follow a special token).</param>
    /// <param name="content">The content.</param>
    /// <returns>The content's tokens in that position.</returns>
    protected int CountAfter(in TemplateLiteral literal, ReadOnlySpan<char> content)
    {
        // A piece never continues past a newline into non-whitespace, so only content that starts with whitespace can merge
        // with a literal ending in a newline: count that (rare) stretch whole.
        if (content.IsEmpty || !char.IsWhiteSpace(content[0]) || literal.Text.Length == 0 || !char.IsWhiteSpace(literal.Text[^1]))
        {
            return Text.Count(content);
        }

        int length = literal.Text.Length + content.Length;
        char[] buffer = ArrayPool<char>.Shared.Rent(length);
        try
        {
            literal.Text.CopyTo(buffer);
            content.CopyTo(buffer.AsSpan(literal.Text.Length));
            return Text.Count(buffer.AsSpan(0, length)) - literal.Tokens;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
