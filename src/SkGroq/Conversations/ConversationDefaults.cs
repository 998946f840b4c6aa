namespace SkGroq.Conversations;

/// <summary>Default values of <see cref="ConversationOptions"/>.</summary>
internal static class ConversationDefaults
{
    /// <summary>Tokens kept free below the context window.</summary>
    public const int SafetyMarginTokens = 256;

    /// <summary>The completion size assumed when a request sets none.</summary>
    public const int DefaultMaxCompletionTokens = 2048;

    /// <summary>The most tokens of a summary of dropped turns.</summary>
    public const int SummaryMaxTokens = 300;

    /// <summary>The text that introduces a summary of dropped turns in the history.</summary>
    public const string SummaryPrefix = "Summary of the earlier conversation: ";
}
