using SkGroq.Tokens.Counting;

namespace SkGroq.Tokens.Templates;

/// <summary>ChatML as Qwen3 renders it (verified with <c>reasoning_effort: none</c>); also the generic template for unknown models.</summary>
/// <remarks>
/// <c>[&lt;|im_start|&gt;system\n{system}&lt;|im_end|&gt;\n]&lt;|im_start|&gt;user\n{content}&lt;|im_end|&gt;\n … &lt;|im_start|&gt;assistant\n</c>
/// → 3 + Σ(5 + content); <c>reasoning_effort: none</c> adds the empty thinking block <c>&lt;think&gt;\n\n&lt;/think&gt;\n\n</c> (4).
/// Earlier assistant turns lose their <c>&lt;think&gt;…&lt;/think&gt;</c>.
/// </remarks>
internal sealed class ChatMLChatTemplate : ChatTemplate
{
    private const int ThinkingBlockTokens = 4;
    private readonly TemplateLiteral _system;
    private readonly TemplateLiteral _user;
    private readonly TemplateLiteral _assistant;
    private readonly int _toolResponse;
    private readonly bool _qwen;

    /// <summary>Initializes a new instance of the <see cref="ChatMLChatTemplate"/> class.</summary>
    /// <param name="text">The text counter (a proxy vocabulary).</param>
    /// <param name="qwen">Whether Qwen3's rules apply (thinking blocks); otherwise plain ChatML for unknown models.</param>
    public ChatMLChatTemplate(TextCounter text, bool qwen)
        : base(text)
    {
        _qwen = qwen;
        _system = Literal("system\n");
        _user = Literal("user\n");
        _assistant = Literal("assistant\n");
        _toolResponse = text.Count("<tool_response>\n") + text.Count("\n</tool_response>");
    }

    /// <inheritdoc/>
    public override int EndOfTurnTokens => 1;

    /// <inheritdoc/>
    /// <remarks>Qwen3 writes its thinking as <c>&lt;think&gt;\n…\n&lt;/think&gt;\n\n</c> before the answer.</remarks>
    public override int ReasoningFrameTokens => _qwen ? ThinkingBlockTokens : 0;

    /// <inheritdoc/>
    protected override int ToolCallOverhead => 12;

    /// <inheritdoc/>
    public override void Finish(in PromptFeatures features, ref PromptTally tally)
    {
        // <|im_start|>assistant\n
        tally.Counted += 1 + _assistant.Tokens;
        if (_qwen && features.ReasoningDisabled)
        {
            tally.Counted += ThinkingBlockTokens;
        }

        if (features.ToolCount > 0)
        {
            // Qwen3 appends a "# Tools" section with the definitions in <tools></tools> and the <tool_call> format to the system
            // message, opening one when there is none.
            tally.Estimated += 90 + features.ToolTokens + features.ToolCount + (tally.InstructionMessages == 0 ? 5 : 0);
        }
    }

    /// <inheritdoc/>
    protected override void AddMessageCore(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally)
    {
        switch (role)
        {
            case ChatRole.Assistant:
                if (_qwen)
                {
                    int think = content.LastIndexOf("</think>", StringComparison.Ordinal);
                    if (think >= 0)
                    {
                        content = content[(think + "</think>".Length)..].TrimStart('\n');
                    }
                }

                tally.Counted += 3 + _assistant.Tokens + CountAfter(_assistant, content);
                break;
            case ChatRole.Tool:
                // Qwen3 wraps tool output in <tool_response> inside a user turn (consecutive outputs share one turn).
                tally.Counted += 3 + _user.Tokens + Text.Count(content);
                tally.Estimated += _toolResponse;
                tally.Inexact = true;
                break;
            case ChatRole.System or ChatRole.Developer:
                tally.Counted += 3 + _system.Tokens + CountAfter(_system, content);
                break;
            default:
                tally.Counted += 3 + _user.Tokens + CountAfter(_user, content);
                break;
        }
    }
}
