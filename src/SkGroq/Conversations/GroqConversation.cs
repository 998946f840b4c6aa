using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Models;
using SkGroq.SemanticKernel;
using SkGroq.Tokens;
using SkGroq.Usage;

namespace SkGroq.Conversations;

/// <summary>
/// A conversation with an id: Semantic Kernel's <see cref="ChatHistory"/> kept within the model's context window by the
/// <see cref="TokenBudgetChatHistoryReducer"/>, every request tagged with the conversation id, usage summed per turn.
/// Not thread-safe: one turn at a time.
/// </summary>
public sealed class GroqConversation
{
    private readonly IChatCompletionService _chat;
    private readonly TokenCounterProvider _counters;
    private readonly ModelCatalog _catalog;
    private readonly ConversationOptions _options;
    private readonly ConversationSummarizer? _summarizer;
    private readonly TimeProvider _timeProvider;
    private readonly string? _systemMessage;
    private readonly List<UsageRecord> _records = [];

    /// <summary>Initializes a new instance of the <see cref="GroqConversation"/> class.</summary>
    /// <param name="chat">The chat completion service.</param>
    /// <param name="counters">The token counters.</param>
    /// <param name="catalog">The model catalog (context windows, completion caps).</param>
    /// <param name="options">The conversation settings.</param>
    /// <param name="model">The model.</param>
    /// <param name="systemMessage">The system message, kept in every request.</param>
    /// <param name="id">The conversation id; a new one when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock.</param>
    public GroqConversation(
        IChatCompletionService chat,
        TokenCounterProvider counters,
        ModelCatalog catalog,
        ConversationOptions options,
        string model,
        string? systemMessage = null,
        string? id = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        _chat = chat;
        _counters = counters;
        _catalog = catalog;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _systemMessage = systemMessage;
        _summarizer = string.IsNullOrWhiteSpace(options.SummaryModel) ? null : new ConversationSummarizer(chat, options.SummaryModel, options.SummaryMaxTokens);
        Model = model;
        Id = id ?? "conv-" + Guid.NewGuid().ToString("N")[..12];
        History = NewHistory();
    }

    /// <summary>Gets the conversation id that tags every usage record.</summary>
    public string Id { get; }

    /// <summary>Gets the model.</summary>
    public string Model { get; }

    /// <summary>Gets the history as it will be sent (after the last reduction).</summary>
    public ChatHistory History { get; private set; }

    /// <summary>Gets the usage records of every request of the conversation so far.</summary>
    public IReadOnlyList<UsageRecord> Records => _records;

    /// <summary>Gets the conversation's usage so far.</summary>
    public UsageTotals Usage => UsageTotals.From(_records);

    /// <summary>Forgets every turn; the system message stays.</summary>
    public void Reset() => History = NewHistory();

    /// <summary>Shows how the history fits the model.</summary>
    /// <param name="maxCompletionTokens">The completion size to reserve; the configured default when <see langword="null"/>.</param>
    /// <returns>The budget.</returns>
    public ConversationBudget GetBudget(int? maxCompletionTokens = null)
    {
        ITokenCounter counter = _counters.GetCounter(Model);
        (int budget, int window, int completion) = Budget(maxCompletionTokens);
        return new ConversationBudget(Model, ChatMessageTokens.Count(counter, History), budget, window, completion, _options.SafetyMarginTokens, counter.Vocabulary, counter.IsExact);
    }

    /// <summary>Sends a user message and streams the answer; the history keeps both (and any tool calls in between).</summary>
    /// <param name="message">The user message.</param>
    /// <param name="onText">Receives the answer as it streams.</param>
    /// <param name="settings">Execution settings; the model is always this conversation's.</param>
    /// <param name="kernel">The kernel, for function calling.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The turn.</returns>
    public async Task<ConversationTurn> SendAsync(
        string message,
        Action<string>? onText = null,
        OpenAIPromptExecutionSettings? settings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        settings = settings is null ? new OpenAIPromptExecutionSettings() : (OpenAIPromptExecutionSettings)settings.Clone();
        settings.ModelId = Model;

        GroqRequestOptions ambient = GroqRequestContext.Current?.Options ?? new GroqRequestOptions();
        using GroqRequestScope turn = GroqRequestContext.Begin(ambient with { ConversationId = Id, Feature = ambient.Feature ?? "conversation" });

        ChatHistory working = [.. History];
        working.AddUserMessage(message);
        (int budget, _, _) = Budget(settings.MaxTokens);
        (int dropped, bool summarized, working) = await FitAsync(working, budget, cancellationToken).ConfigureAwait(false);

        try
        {
            StreamingChatResult result = await _chat.StreamAsync(working, onText ?? (static _ => { }), settings, kernel, _timeProvider, cancellationToken).ConfigureAwait(false);
            working.AddAssistantMessage(result.Text);
            History = working;
            return new ConversationTurn(result, UsageTotals.From(turn.Records), dropped, summarized);
        }
        finally
        {
            // Usage is kept even for failed turns: what was billed was billed.
            _records.AddRange(turn.Records);
        }
    }

    private async Task<(int Dropped, bool Summarized, ChatHistory History)> FitAsync(ChatHistory history, int budget, CancellationToken cancellationToken)
    {
        var reducer = new TokenBudgetChatHistoryReducer(_counters.GetCounter(Model), budget, Model);
        if (_summarizer is null)
        {
            TokenBudgetChatHistoryReducer.Reduction plain = reducer.Reduce(history, budget);
            return (plain.Dropped.Count, false, [.. plain.Kept]);
        }

        // Leave room for the summary, then fold the dropped turns (and the summary that stood for even older ones) into a new one.
        TokenBudgetChatHistoryReducer.Reduction reduction = reducer.Reduce(history, Math.Max(1, budget - _summarizer.MaxTokens - 16));
        if (reduction.Dropped.Count == 0)
        {
            return (0, false, history);
        }

        ChatMessageContent? previous = reduction.Kept.FirstOrDefault(IsSummary);
        List<ChatMessageContent> kept = [.. reduction.Kept.Where(m => !IsSummary(m))];
        ChatMessageContent summary = await _summarizer.SummarizeAsync(previous?.Content?[ConversationDefaults.SummaryPrefix.Length..], reduction.Dropped, cancellationToken).ConfigureAwait(false);
        int systemCount = kept.TakeWhile(m => m.Role == AuthorRole.System).Count();
        kept.Insert(systemCount, summary);
        return (reduction.Dropped.Count, true, [.. kept]);
    }

    private (int Budget, int ContextWindow, int MaxCompletion) Budget(int? maxCompletionTokens)
    {
        ModelInfo? model = _catalog.TryGet(Model, out ModelInfo? known) ? known : null;
        int window = model?.ContextWindow is > 0 and var w ? w : 8192;
        int completion = maxCompletionTokens ?? _options.DefaultMaxCompletionTokens;
        if (model?.MaxCompletionTokens is > 0 and var cap)
        {
            completion = Math.Min(completion, cap);
        }

        int budget = window - completion - _options.SafetyMarginTokens;
        if (_options.MaxHistoryTokens is { } limit)
        {
            budget = Math.Min(budget, limit);
        }

        return (Math.Max(1, budget), window, completion);
    }

    private static bool IsSummary(ChatMessageContent message)
        => message.Role == AuthorRole.System && (message.Content?.StartsWith(ConversationDefaults.SummaryPrefix, StringComparison.Ordinal) ?? false);

    private ChatHistory NewHistory() => string.IsNullOrWhiteSpace(_systemMessage) ? [] : new ChatHistory(_systemMessage);
}
