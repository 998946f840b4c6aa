using SkGroq.Tokens.Counting;

namespace SkGroq.Tokens.Templates;

/// <summary>gpt-oss's harmony format as Groq renders it (verified for one user message and a system text).</summary>
/// <remarks>
/// Groq renders a fixed system block (identity, knowledge cutoff, date, reasoning level, channels), always a developer message
/// (empty without a system prompt; a system or developer text becomes <c># Instructions\n\n{text}</c>), the turns as
/// <c>&lt;|start|&gt;{role}&lt;|message|&gt;{content}&lt;|end|&gt;</c>, and <c>&lt;|start|&gt;assistant</c>.
/// Arithmetic: 71 + user content for one user message; each further turn 4 + content; a system text 3 + content.
/// </remarks>
internal sealed class HarmonyChatTemplate : ChatTemplate
{
    /// <summary>The fixed tokens without any turn: system block, empty developer message, generation prompt.</summary>
    internal const int FixedTokens = 67;

    private const int TurnTokens = 4;
    private readonly TemplateLiteral _instructions;
    private readonly TemplateLiteral _separator;

    /// <summary>Initializes a new instance of the <see cref="HarmonyChatTemplate"/> class.</summary>
    /// <param name="text">The o200k_harmony text counter.</param>
    public HarmonyChatTemplate(TextCounter text)
        : base(text)
    {
        _instructions = Literal("# Instructions\n\n");
        _separator = Literal("\n\n");
    }

    /// <inheritdoc/>
    /// <remarks>Completions include the hidden reasoning: <c>&lt;|channel|&gt;analysis&lt;|message|&gt;…&lt;|end|&gt;&lt;|start|&gt;assistant&lt;|channel|&gt;final&lt;|message|&gt;…&lt;|return|&gt;</c> adds 10 structural tokens.</remarks>
    public override int EndOfTurnTokens => 10;

    /// <inheritdoc/>
    protected override int ToolCallOverhead => 10;

    /// <inheritdoc/>
    public override void Finish(in PromptFeatures features, ref PromptTally tally)
    {
        tally.Counted += FixedTokens;
        if (features.ToolCount > 0)
        {
            // "# Tools\n\n## functions\n\nnamespace functions {…} // namespace functions" in the developer message, a TypeScript-like
            // signature per tool, and the commentary-channel note in the system block.
            tally.Estimated += 40 + features.ToolTokens + (5L * features.ToolCount);
        }
    }

    /// <inheritdoc/>
    protected override void AddMessageCore(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally)
    {
        if (role.IsInstructions())
        {
            if (tally.InstructionMessages == 0)
            {
                tally.Counted += _instructions.Tokens + CountAfter(_instructions, content);
            }
            else
            {
                // Further instructions join the developer message; the separator is not verified.
                tally.Counted += _separator.Tokens + CountAfter(_separator, content);
                tally.Inexact = true;
            }

            return;
        }

        tally.Counted += TurnTokens + Text.Count(content);
        if (role == ChatRole.Tool)
        {
            // <|start|>functions.{name} to=assistant<|channel|>commentary<|message|>…<|end|>
            tally.Estimated += 6;
            tally.Inexact = true;
        }
    }
}
