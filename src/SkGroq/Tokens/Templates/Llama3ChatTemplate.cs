using SkGroq.Tokens.Counting;

namespace SkGroq.Tokens.Templates;

/// <summary>Llama 3.1 / 3.3's chat template as Groq applies it (verified against Groq's <c>prompt_tokens</c>).</summary>
/// <remarks>
/// <code>
/// &lt;|begin_of_text|&gt;&lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n{system, trimmed}&lt;|eot_id|&gt;
/// &lt;|start_header_id|&gt;{role}&lt;|end_header_id|&gt;\n\n{content, trimmed}&lt;|eot_id|&gt;      (each other message)
/// &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n                                  (generation prompt)
/// </code>
/// The system block is always there; a first system message fills it. Arithmetic: 30 + system + Σ(5 + content).
/// Tools follow Meta's template (an <c>Environment: ipython</c> line, and the definitions in the first user message); Groq's
/// rendering of tools is not verified, so they are estimated.
/// </remarks>
internal sealed class Llama3ChatTemplate : ChatTemplate
{
    /// <summary>The date lines Groq puts in the system block (the date never changes the count).</summary>
    internal const string DateLines = "\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

    private const string ToolPreamble =
        "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n"
        + "Respond in the format {\"name\": function name, \"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n";

    private readonly int _fixed;
    private readonly int _headerNewlines;
    private readonly int _system;
    private readonly int _user;
    private readonly int _assistant;
    private readonly int _ipython;
    private readonly int _toolsFrame;

    /// <summary>Initializes a new instance of the <see cref="Llama3ChatTemplate"/> class.</summary>
    /// <param name="text">The text counter (Meta's vocabulary or cl100k_base).</param>
    public Llama3ChatTemplate(TextCounter text)
        : base(text)
    {
        _system = text.Count("system");
        _user = text.Count("user");
        _assistant = text.Count("assistant");
        _ipython = text.Count("ipython");
        _headerNewlines = text.Count("\n\n");

        // <|begin_of_text|><|start_header_id|>system<|end_header_id|>{date lines}<|eot_id|> + <|start_header_id|>assistant<|end_header_id|>\n\n
        _fixed = 4 + _system + text.Count(DateLines) + 2 + _assistant + _headerNewlines;
        _toolsFrame = text.Count("Environment: ipython\n") + text.Count(ToolPreamble);
    }

    /// <summary>Gets the fixed tokens: the system block without content and the generation prompt (30 in Llama 3's vocabulary).</summary>
    public int FixedTokens => _fixed;

    /// <inheritdoc/>
    public override int EndOfTurnTokens => 1;

    /// <inheritdoc/>
    protected override int ToolCallOverhead => 10;

    /// <inheritdoc/>
    public override void Finish(in PromptFeatures features, ref PromptTally tally)
    {
        tally.Counted += _fixed;
        if (features.ToolCount > 0)
        {
            // Each definition is rendered as indented JSON followed by "\n\n".
            tally.Estimated += _toolsFrame + features.ToolTokens + (2L * features.ToolCount);
        }
    }

    /// <inheritdoc/>
    protected override void AddMessageCore(ChatRole role, ReadOnlySpan<char> content, ref PromptTally tally)
    {
        ReadOnlySpan<char> trimmed = TemplateText.Trim(content);
        if (tally.Messages == 0 && role.IsInstructions())
        {
            tally.Counted += Text.Count(trimmed);
            return;
        }

        int roleTokens = role switch
        {
            ChatRole.System or ChatRole.Developer => _system,
            ChatRole.Assistant => _assistant,
            ChatRole.Tool => _ipython,
            _ => _user,
        };

        if (role == ChatRole.Tool)
        {
            // Meta's template renders tool output with tojson (a string becomes a quoted, escaped literal) and untrimmed.
            tally.Counted += 3 + roleTokens + _headerNewlines + Text.Count(content);
            tally.Estimated += 2;
            tally.Inexact = true;
            return;
        }

        tally.Counted += 3 + roleTokens + _headerNewlines + Text.Count(trimmed);
    }
}
