using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Errors;
using SkGroq.Tokens;

namespace SkGroq.Conversations;

/// <summary>
/// Keeps a history within a token budget counted with the model's real tokenizer and chat template: the leading system
/// messages and the newest turns that fit; older turns are dropped (or summarized, see <see cref="ConversationSummarizer"/>).
/// </summary>
/// <remarks>
/// A turn is a user message and everything after it up to the next user message, so a tool call is never separated
/// from its result and an answer never from its question. The newest turn is always kept; if it cannot fit,
/// reduction fails with <see cref="GroqContextLengthExceededException"/> instead of sending a request Groq would refuse.
/// Semantic Kernel's own reducers count messages, not tokens.
/// </remarks>
public sealed class TokenBudgetChatHistoryReducer : IChatHistoryReducer
{
    private readonly ITokenCounter _counter;
    private readonly string _model;

    /// <summary>Initializes a new instance of the <see cref="TokenBudgetChatHistoryReducer"/> class.</summary>
    /// <param name="counter">The model's token counter.</param>
    /// <param name="budgetTokens">The most prompt tokens the history may take.</param>
    /// <param name="model">The model, for messages.</param>
    public TokenBudgetChatHistoryReducer(ITokenCounter counter, int budgetTokens, string model)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetTokens, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        _counter = counter;
        _model = model;
        BudgetTokens = budgetTokens;
    }

    /// <summary>Gets the most prompt tokens a reduced history takes.</summary>
    public int BudgetTokens { get; }

    /// <summary>Counts the prompt tokens of a history as the model's template renders it.</summary>
    /// <param name="history">The messages.</param>
    /// <returns>The count.</returns>
    public int Count(IEnumerable<ChatMessageContent> history) => ChatMessageTokens.Count(_counter, history);

    /// <inheritdoc />
    public Task<IEnumerable<ChatMessageContent>?> ReduceAsync(IReadOnlyList<ChatMessageContent> chatHistory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        Reduction reduction = Reduce(chatHistory, BudgetTokens);
        return Task.FromResult<IEnumerable<ChatMessageContent>?>(reduction.Dropped.Count == 0 ? null : reduction.Kept);
    }

    /// <summary>Splits a history into what fits the budget and what is dropped.</summary>
    /// <param name="history">The messages.</param>
    /// <param name="budgetTokens">The budget.</param>
    /// <returns>The kept messages (system messages first, then the newest turns) and the dropped ones, in order.</returns>
    internal Reduction Reduce(IReadOnlyList<ChatMessageContent> history, int budgetTokens)
    {
        int head = 0;
        while (head < history.Count && IsSystem(history[head]))
        {
            head++;
        }

        List<ChatMessageContent> system = [.. history.Take(head)];
        List<List<ChatMessageContent>> turns = Turns(history, head);
        if (Count(history) <= budgetTokens)
        {
            return new Reduction([.. history], []);
        }

        // Counts grow with every older turn added, so the largest number of newest turns that fits is found by binary search:
        // O(log n) exact counts of the rendered prompt instead of summing per-message estimates.
        int low = 0;
        int high = turns.Count;
        while (low < high)
        {
            int candidate = (low + high + 1) / 2;
            if (Count(Compose(system, turns, candidate)) <= budgetTokens)
            {
                low = candidate;
            }
            else
            {
                high = candidate - 1;
            }
        }

        if (low == 0 && turns.Count > 0)
        {
            int needed = Count(Compose(system, turns, 1));
            throw new GroqContextLengthExceededException(
                $"The latest message and the system prompt need {needed} tokens but only {budgetTokens} fit for model '{_model}' (context window minus max completion tokens minus margin). Shorten the message or the system prompt, or lower max tokens.",
                new GroqErrorDetails { Model = _model })
            {
                RequestedTokens = needed,
            };
        }

        List<ChatMessageContent> kept = Compose(system, turns, low);
        List<ChatMessageContent> dropped = [.. turns.Take(turns.Count - low).SelectMany(t => t)];
        return new Reduction(kept, dropped);
    }

    private static List<ChatMessageContent> Compose(List<ChatMessageContent> system, List<List<ChatMessageContent>> turns, int newest)
        => [.. system, .. turns.Skip(turns.Count - newest).SelectMany(t => t)];

    private static List<List<ChatMessageContent>> Turns(IReadOnlyList<ChatMessageContent> history, int start)
    {
        var turns = new List<List<ChatMessageContent>>();
        for (int i = start; i < history.Count; i++)
        {
            if (turns.Count == 0 || history[i].Role == AuthorRole.User)
            {
                turns.Add([]);
            }

            turns[^1].Add(history[i]);
        }

        return turns;
    }

    private static bool IsSystem(ChatMessageContent message) => message.Role == AuthorRole.System || message.Role == AuthorRole.Developer;

    /// <summary>The result of a reduction.</summary>
    /// <param name="Kept">The messages kept, in order.</param>
    /// <param name="Dropped">The messages dropped, in order.</param>
    internal sealed record Reduction(List<ChatMessageContent> Kept, List<ChatMessageContent> Dropped);
}
