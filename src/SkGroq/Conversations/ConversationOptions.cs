using System.ComponentModel.DataAnnotations;

namespace SkGroq.Conversations;

/// <summary>Settings of conversations: how much history is kept and how dropped turns are summarized.</summary>
public sealed class ConversationOptions
{
    /// <summary>Gets or sets the tokens kept free below the context window besides the completion, for estimation error and server-side additions.</summary>
    /// <value>The default is 256.</value>
    [Range(0, 1_000_000)]
    public int SafetyMarginTokens { get; set; } = ConversationDefaults.SafetyMarginTokens;

    /// <summary>Gets or sets the completion size assumed when a request sets no max tokens (capped by the model's maximum).</summary>
    /// <value>The default is 2,048.</value>
    [Range(1, 1_000_000)]
    public int DefaultMaxCompletionTokens { get; set; } = ConversationDefaults.DefaultMaxCompletionTokens;

    /// <summary>Gets or sets an upper bound on the history sent with each turn, below what the context window allows (cost control).</summary>
    /// <value>The default is <see langword="null"/>: only the context window limits the history.</value>
    [Range(1, 10_000_000)]
    public int? MaxHistoryTokens { get; set; }

    /// <summary>Gets or sets the (cheaper) model that summarizes dropped turns; <see langword="null"/> drops them without a summary.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? SummaryModel { get; set; }

    /// <summary>Gets or sets the most tokens a summary of dropped turns may take.</summary>
    /// <value>The default is 300.</value>
    [Range(16, 8192)]
    public int SummaryMaxTokens { get; set; } = ConversationDefaults.SummaryMaxTokens;
}
