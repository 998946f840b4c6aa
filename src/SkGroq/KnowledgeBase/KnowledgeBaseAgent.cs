using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;
using SkGroq.Usage;

namespace SkGroq.KnowledgeBase;

/// <summary>
/// Answers questions from a knowledge base: the model calls the <see cref="KnowledgeBaseSearchPlugin"/> through Groq tool use
/// (Semantic Kernel's automatic function invocation), then answers citing the source files.
/// </summary>
public sealed class KnowledgeBaseAgent
{
    /// <summary>The instructions the agent gives the model.</summary>
    public const string Instructions =
        "You answer questions about the company using its knowledge base. Always call knowledge_base-search first with the key nouns of the question. " +
        "Answer only from the passages it returns, cite the source file of every claim in square brackets, e.g. [vacation-policy.md], " +
        "and say \"The provided documents do not contain the answer.\" when they do not. Be concise.";

    private readonly Kernel _kernel;
    private readonly KnowledgeBaseIndex _index;

    /// <summary>Initializes a new instance of the <see cref="KnowledgeBaseAgent"/> class.</summary>
    /// <param name="kernel">A kernel with a chat completion service (e.g. Groq's). The agent works on a clone; the caller's kernel is not changed.</param>
    /// <param name="index">The knowledge base.</param>
    public KnowledgeBaseAgent(Kernel kernel, KnowledgeBaseIndex index)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(index);
        _kernel = kernel.Clone();
        _index = index;
    }

    /// <summary>Answers a question.</summary>
    /// <param name="question">The question.</param>
    /// <param name="onText">Receives the answer as it streams; <see langword="null"/> to wait for the whole answer.</param>
    /// <param name="model">The model; <see langword="null"/> for the service default.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The answer, its sources and the turn's usage.</returns>
    public async Task<KnowledgeBaseAnswer> AskAsync(string question, Action<string>? onText = null, string? model = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);

        var searches = new List<string>();
        var retrieved = new List<KnowledgeBaseHit>();
        var gate = new Lock();
        Kernel kernel = _kernel.Clone();
        kernel.Plugins.AddFromObject(
            new KnowledgeBaseSearchPlugin(_index, (query, hits) =>
            {
                lock (gate)
                {
                    searches.Add(query);
                    retrieved.AddRange(hits);
                }
            }),
            KnowledgeBaseSearchPlugin.PluginName);

        var history = new ChatHistory(Instructions);
        history.AddUserMessage(question);
        var settings = new OpenAIPromptExecutionSettings
        {
            ModelId = model,
            Temperature = 0,
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
        };

        // The turn's own scope collects the records of every round trip (the caller's scope, if any, sees them too).
        GroqRequestOptions options = GroqRequestContext.Current?.Options ?? new GroqRequestOptions();
        using GroqRequestScope turn = GroqRequestContext.Begin(options with { Feature = options.Feature ?? "kb-agent" });

        IChatCompletionService chat = kernel.GetRequiredService<IChatCompletionService>();
        string text;
        if (onText is null)
        {
            ChatMessageContent answer = await chat.GetChatMessageContentAsync(history, settings, kernel, cancellationToken).ConfigureAwait(false);
            text = answer.Content ?? string.Empty;
        }
        else
        {
            var builder = new System.Text.StringBuilder();
            await foreach (StreamingChatMessageContent update in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel, cancellationToken).ConfigureAwait(false))
            {
                if (!string.IsNullOrEmpty(update.Content))
                {
                    builder.Append(update.Content);
                    onText(update.Content);
                }
            }

            text = builder.ToString();
        }

        List<string> cited = retrieved
            .Select(h => h.Passage.Source)
            .Distinct(StringComparer.Ordinal)
            .Select(s => (Source: s, At: text.IndexOf(s, StringComparison.OrdinalIgnoreCase)))
            .Where(s => s.At >= 0)
            .OrderBy(s => s.At)
            .Select(s => s.Source)
            .ToList();
        return new KnowledgeBaseAnswer(text, cited, retrieved, searches, UsageTotals.From(turn.Records));
    }
}
