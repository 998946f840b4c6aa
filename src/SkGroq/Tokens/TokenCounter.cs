using SkGroq.Tokens.Counting;
using SkGroq.Tokens.Templates;

namespace SkGroq.Tokens;

/// <summary>A family's counter: a vocabulary, a chat template, and how far to trust them.</summary>
internal sealed class TokenCounter : ITokenCounter
{
    /// <summary>Initializes a new instance of the <see cref="TokenCounter"/> class.</summary>
    /// <param name="family">The family (one of <see cref="TokenizerFamilies"/>).</param>
    /// <param name="text">The text counter.</param>
    /// <param name="template">The chat template.</param>
    /// <param name="isExact">Whether vocabulary and template are the model's own and verified.</param>
    /// <param name="margin">The budget margin on counted tokens.</param>
    /// <param name="note">A human-readable remark on the choice of vocabulary.</param>
    public TokenCounter(string family, TextCounter text, ChatTemplate template, bool isExact, double margin, string note)
    {
        Family = family;
        Text = text;
        Template = template;
        IsExact = isExact;
        Margin = margin;
        Note = note;
    }

    /// <inheritdoc/>
    public string Family { get; }

    /// <inheritdoc/>
    public string Vocabulary => Text.Vocabulary;

    /// <inheritdoc/>
    public bool IsExact { get; }

    /// <inheritdoc/>
    public int EndOfTurnTokens => Template.EndOfTurnTokens;

    /// <inheritdoc/>
    public int ReasoningFrameTokens => Template.ReasoningFrameTokens;

    /// <summary>Gets the budget margin on counted tokens.</summary>
    public double Margin { get; }

    /// <summary>Gets a remark on the choice of vocabulary.</summary>
    public string Note { get; }

    /// <summary>Gets the text counter.</summary>
    public TextCounter Text { get; }

    /// <summary>Gets the chat template.</summary>
    public ChatTemplate Template { get; }

    /// <inheritdoc/>
    public int CountTokens(ReadOnlySpan<char> text) => Text.Count(text);

    /// <inheritdoc/>
    public int CountCompletionTokens(ReadOnlySpan<char> content, ReadOnlySpan<char> reasoning = default)
    {
        int reasoningTokens = reasoning.IsEmpty ? 0 : Text.Count(reasoning) + ReasoningFrameTokens;
        return Text.Count(content) + reasoningTokens + EndOfTurnTokens;
    }

    /// <inheritdoc/>
    public int CountPromptTokens(IEnumerable<PromptMessage> messages, string? reasoningEffort = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tally = default(PromptTally);
        foreach (PromptMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message.Role, nameof(messages));
            Template.AddMessage(ChatRoles.Parse(message.Role), message.Content, ref tally);
        }

        Template.Finish(new PromptFeatures(IsReasoningDisabled(reasoningEffort)), ref tally);
        return checked((int)tally.Total);
    }

    /// <summary>Gets a value indicating whether a <c>reasoning_effort</c> value switches reasoning off.</summary>
    /// <param name="reasoningEffort">The value.</param>
    /// <returns><see langword="true"/> for <c>none</c>.</returns>
    internal static bool IsReasoningDisabled(string? reasoningEffort) => string.Equals(reasoningEffort, "none", StringComparison.OrdinalIgnoreCase);
}
