using SkGroq.Tokens.Counting;

namespace SkGroq.Tokens.Templates;

/// <summary>Kimi K2's chat template (not verified against Groq: the vocabulary is not available, so counts are estimates).</summary>
/// <remarks>
/// <c>&lt;|im_{role}|&gt;{role}&lt;|im_middle|&gt;{content}&lt;|im_end|&gt;</c> per message, <c>&lt;|im_assistant|&gt;assistant&lt;|im_middle|&gt;</c>
/// to generate, and Moonshot's default system prompt when the request has none.
/// </remarks>
internal sealed class KimiChatTemplate : ChatTemplate
{
    private const string DefaultSystemPrompt = "You are Kimi, an AI assistant created by Moonshot AI.";
    private readonly int _system;
    private readonly int _user;
    private readonly int _assistant;
    private readonly int _tool;
    private readonly int _defaultSystem;

    /// <summary>Initializes a new instance of the <see cref="KimiChatTemplate"/> class.</summary>
    /// <param name="text">The text counter (cl100k_base as a proxy).</param>
    public KimiChatTemplate(TextCounter text)
        : base(text)
    {
        _system = text.Count("system");
        _user = text.Count("user");
        _assistant = text.Count("assistant");
        _tool = text.Count("tool");
        _defaultSystem = 3 + _system + text.Count(DefaultSystemPrompt);
    }

    /// <inheritdoc/>
    public override int EndOfTurnTokens => 1;

    /// <inheritdoc/>
    protected override int ToolCallOverhead => 10;

    /// <inheritdoc/>
    public override void Finish(in PromptFeatures features, ref PromptTally tally)
    {
        tally.Counted += 2 + _assistant;
        if (tally.InstructionMessages == 0)
        {
            tally.Counted += _defaultSystem;
        }

        if (features.ToolCount > 0)
        {
            // <|im_system|>tool_declare<|im_middle|>[definitions]<|im_end|>
            tally.Estimated += 5 + features.ToolTokens;
        }
    }

    /// <inheritdoc/>
    protected override void AddMessageCore(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally)
    {
        int roleTokens = role switch
        {
            ChatRole.System or ChatRole.Developer => _system,
            ChatRole.Assistant => _assistant,
            ChatRole.Tool => _tool,
            _ => _user,
        };
        tally.Counted += 3 + roleTokens + Text.Count(content);
    }
}
