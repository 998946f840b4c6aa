using SkGroq.Tokens.Counting;

namespace SkGroq.Tokens.Templates;

/// <summary>Llama 4's chat template as Groq applies it.</summary>
/// <remarks>
/// <c>&lt;|begin_of_text|&gt;[&lt;|header_start|&gt;system&lt;|header_end|&gt;\n\n{system}&lt;|eot|&gt;]&lt;|header_start|&gt;user&lt;|header_end|&gt;\n\n{content}&lt;|eot|&gt;&lt;|header_start|&gt;assistant&lt;|header_end|&gt;\n\n</c>
/// → 5 + Σ(5 + content). With tools (and <c>tool_choice</c> not <c>none</c>) Groq adds about 700 tokens for one tool.
/// </remarks>
internal sealed class Llama4ChatTemplate : ChatTemplate
{
    private const int ToolsBaseTokens = 650;
    private readonly TemplateLiteral _newlines;
    private readonly int _system;
    private readonly int _user;
    private readonly int _assistant;
    private readonly int _ipython;

    /// <summary>Initializes a new instance of the <see cref="Llama4ChatTemplate"/> class.</summary>
    /// <param name="text">The text counter (o200k_base as a proxy).</param>
    public Llama4ChatTemplate(TextCounter text)
        : base(text)
    {
        _newlines = Literal("\n\n");
        _system = text.Count("system");
        _user = text.Count("user");
        _assistant = text.Count("assistant");
        _ipython = text.Count("ipython");
    }

    /// <inheritdoc/>
    public override int EndOfTurnTokens => 1;

    /// <inheritdoc/>
    protected override int ToolCallOverhead => 10;

    /// <inheritdoc/>
    public override void Finish(in PromptFeatures features, ref PromptTally tally)
    {
        tally.Counted += 3 + _assistant + _newlines.Tokens;
        if (features.ToolCount > 0 && !features.ToolChoiceNone)
        {
            tally.Estimated += ToolsBaseTokens + features.ToolTokens;
        }
    }

    /// <inheritdoc/>
    protected override void AddMessageCore(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally)
    {
        int roleTokens = role switch
        {
            ChatRole.System or ChatRole.Developer => _system,
            ChatRole.Assistant => _assistant,
            ChatRole.Tool => _ipython,
            _ => _user,
        };
        tally.Counted += 3 + roleTokens + _newlines.Tokens + CountAfter(_newlines, content);
        if (role == ChatRole.Tool)
        {
            tally.Inexact = true;
        }
    }
}
