namespace SkGroq.Conversations;

/// <summary>How a conversation's history fits its model: the numbers behind the reducer's decisions.</summary>
/// <param name="Model">The model.</param>
/// <param name="HistoryTokens">The prompt tokens of the history as it stands (template included, counted with the model's vocabulary).</param>
/// <param name="BudgetTokens">The most prompt tokens the history may take: context window − max completion − margin (or the configured cap).</param>
/// <param name="ContextWindow">The model's context window.</param>
/// <param name="MaxCompletionTokens">The completion size reserved.</param>
/// <param name="SafetyMarginTokens">The margin kept free.</param>
/// <param name="Vocabulary">The vocabulary the count used.</param>
/// <param name="Exact">Whether the count is exact for this model.</param>
public sealed record ConversationBudget(
    string Model,
    int HistoryTokens,
    int BudgetTokens,
    int ContextWindow,
    int MaxCompletionTokens,
    int SafetyMarginTokens,
    string Vocabulary,
    bool Exact);
