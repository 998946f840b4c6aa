using System.Text;
using System.Text.RegularExpressions;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Data;
using SkGroq.Context;
using SkGroq.KnowledgeBase.Search;
using SkGroq.Usage;
using MeaiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using MeaiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace SkGroq.KnowledgeBase.Agent;

/// <summary>
/// Answers questions from a knowledge base with numbered, checked citations. In <see cref="KnowledgeBaseRetrieval.Tool"/>
/// mode the model calls the <see cref="KnowledgeBaseSearchPlugin"/> (Semantic Kernel's automatic function invocation over
/// Groq tool use); in <see cref="KnowledgeBaseRetrieval.Pre"/> mode Semantic Kernel's <see cref="TextSearchProvider"/> puts the
/// passages in the prompt first and the answer takes one round trip.
/// </summary>
public sealed partial class KnowledgeBaseAgent
{
    /// <summary>The sentence the model is told to answer with when the passages do not hold the answer.</summary>
    public const string NotInDocuments = "The provided documents do not contain the answer.";

    /// <summary>The instructions the agent gives the model.</summary>
    public const string Instructions =
        "You answer questions about the company using its knowledge base. " +
        "Answer only from the numbered passages you are given ([S1], [S2], …) — never from outside knowledge. " +
        "Cite the passage of every claim right after it, e.g. [S1] or [S2][S3], using only numbers you were given. " +
        "If the passages do not answer the question, say exactly: \"" + NotInDocuments + "\" and, if useful, what is missing. Be concise.";

    private const string ToolInstructions = " Always call knowledge_base-search first, with the question in your own words; search again with other words if the passages miss the point.";

    private readonly Kernel _kernel;
    private readonly KnowledgeBaseSearcher _searcher;

    /// <summary>Initializes a new instance of the <see cref="KnowledgeBaseAgent"/> class.</summary>
    /// <param name="kernel">A kernel with a chat completion service (e.g. Groq's). The agent works on a clone; the caller's kernel is not changed.</param>
    /// <param name="searcher">The knowledge base's search.</param>
    public KnowledgeBaseAgent(Kernel kernel, KnowledgeBaseSearcher searcher)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(searcher);
        _kernel = kernel.Clone();
        _searcher = searcher;
    }

    /// <summary>Gets or sets how many passages one search returns. Default 5.</summary>
    public int Top { get; set; } = 5;

    /// <summary>Gets or sets the retrieval mode; <see langword="null"/> for the searcher's default.</summary>
    public RetrievalMode? Mode { get; set; }

    /// <summary>Answers a question.</summary>
    /// <param name="question">The question.</param>
    /// <param name="onText">Receives the answer as it streams; <see langword="null"/> to wait for the whole answer.</param>
    /// <param name="model">The model; <see langword="null"/> for the service default.</param>
    /// <param name="retrieval">When passages are retrieved. Default <see cref="KnowledgeBaseRetrieval.Tool"/>.</param>
    /// <param name="cancellationToken">Cancels the turn.</param>
    /// <returns>The answer, its checked citations and the turn's usage.</returns>
    public async Task<KnowledgeBaseAnswer> AskAsync(
        string question,
        Action<string>? onText = null,
        string? model = null,
        KnowledgeBaseRetrieval retrieval = KnowledgeBaseRetrieval.Tool,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);

        var sources = new KnowledgeBaseSources();
        var searches = new List<string>();
        var gate = new Lock();
        Kernel kernel = _kernel.Clone();
        var settings = new OpenAIPromptExecutionSettings { ModelId = model, Temperature = 0 };
        ChatHistory history;

        // The turn's own scope collects the records of every round trip (the caller's scope, if any, sees them too).
        GroqRequestOptions options = GroqRequestContext.Current?.Options ?? new GroqRequestOptions();
        using GroqRequestScope turn = GroqRequestContext.Begin(options with { Feature = options.Feature ?? "kb-agent" });

        if (retrieval == KnowledgeBaseRetrieval.Tool)
        {
            kernel.Plugins.AddFromObject(
                new KnowledgeBaseSearchPlugin(new KnowledgeBaseTextSearch(_searcher, Mode), sources, query =>
                {
                    lock (gate)
                    {
                        searches.Add(query);
                    }
                }),
                KnowledgeBaseSearchPlugin.PluginName);
            settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();
            history = new ChatHistory(Instructions + ToolInstructions);
        }
        else
        {
            IReadOnlyList<(string Label, KnowledgeBaseHit Hit)> labelled = [];
            var search = new KnowledgeBaseTextSearch(_searcher, Mode, hits => labelled = sources.Add(hits));
            var provider = new TextSearchProvider(search, loggerFactory: null, new TextSearchProviderOptions
            {
                Top = Top,
                SearchTime = TextSearchProviderOptions.RagBehavior.BeforeAIInvoke,
                ContextPrompt = "Passages from the knowledge base:",
                IncludeCitationsPrompt = string.Empty,
                ContextFormatter = _ => KnowledgeBaseSources.Format(labelled),
            });
            Microsoft.SemanticKernel.AIContext context = await provider.ModelInvokingAsync([new MeaiChatMessage(MeaiChatRole.User, question)], cancellationToken).ConfigureAwait(false);
            searches.Add(question);
            history = new ChatHistory($"{Instructions}\n\n{context.Instructions}");
        }

        history.AddUserMessage(question);
        IChatCompletionService chat = kernel.GetRequiredService<IChatCompletionService>();
        string text;
        if (onText is null)
        {
            ChatMessageContent answer = await chat.GetChatMessageContentAsync(history, settings, kernel, cancellationToken).ConfigureAwait(false);
            text = answer.Content ?? string.Empty;
        }
        else
        {
            var builder = new StringBuilder();
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

        return new KnowledgeBaseAnswer(text, CheckCitations(text, sources), sources.All, searches, retrieval, UsageTotals.From(turn.Records));
    }

    /// <summary>Finds the <c>[S1]</c>-style citations of an answer and checks each against the passages given.</summary>
    /// <param name="text">The answer.</param>
    /// <param name="sources">The passages given.</param>
    /// <returns>The citations in order of first mention, each with its passage or flagged as not given.</returns>
    public static IReadOnlyList<KnowledgeBaseCitation> CheckCitations(string text, KnowledgeBaseSources sources)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sources);
        var citations = new List<KnowledgeBaseCitation>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match bracket in CitationPattern().Matches(text))
        {
            foreach (Match label in LabelPattern().Matches(bracket.Value))
            {
                string normalized = label.Value.ToUpperInvariant();
                if (seen.Add(normalized))
                {
                    citations.Add(new KnowledgeBaseCitation(normalized, sources.Find(normalized)));
                }
            }
        }

        return citations;
    }

    [GeneratedRegex(@"\[\s*S\d+(?:\s*[,;]\s*S\d+)*\s*\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CitationPattern();

    [GeneratedRegex(@"S\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
