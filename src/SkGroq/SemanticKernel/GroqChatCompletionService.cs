using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Services;
using OpenAI;

namespace SkGroq.SemanticKernel;

/// <summary>
/// Semantic Kernel's chat completion on Groq: Semantic Kernel's OpenAI connector over the <c>groq</c> HttpClient pipeline,
/// with the model chosen per call by <see cref="PromptExecutionSettings.ModelId"/> (default: <c>Groq:Model</c>).
/// </summary>
public sealed class GroqChatCompletionService : IChatCompletionService
{
    private readonly OpenAIClient _client;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ConcurrentDictionary<string, OpenAIChatCompletionService> _services = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="GroqChatCompletionService"/> class.</summary>
    /// <param name="client">An OpenAI client whose transport is the <c>groq</c> pipeline and whose own retries are off.</param>
    /// <param name="defaultModel">The model used when the execution settings name none.</param>
    /// <param name="loggerFactory">The logger factory handed to Semantic Kernel's connector.</param>
    public GroqChatCompletionService(OpenAIClient client, string defaultModel, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultModel);
        _client = client;
        _loggerFactory = loggerFactory;
        DefaultModel = defaultModel;
        Attributes = new Dictionary<string, object?> { [AIServiceExtensions.ModelIdKey] = defaultModel };
    }

    /// <summary>Gets the model used when the execution settings name none.</summary>
    public string DefaultModel { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <inheritdoc />
    /// <remarks><see cref="KernelContent.ModelId"/> is the model that answered (after a fallback, not the one asked for).</remarks>
    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessageContent> contents = await For(executionSettings).GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false);
        foreach (ChatMessageContent content in contents)
        {
            content.ModelId = AnsweredBy(content.InnerContent) ?? content.ModelId;
        }

        return contents;
    }

    /// <inheritdoc />
    /// <remarks><see cref="KernelContent.ModelId"/> is the model that answered (after a fallback, not the one asked for).</remarks>
    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (StreamingChatMessageContent update in For(executionSettings).GetStreamingChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false))
        {
            update.ModelId = AnsweredBy(update.InnerContent) ?? update.ModelId;
            yield return update;
        }
    }

    /// <summary>Gets the <c>model</c> field of Groq's answer: the model fallback may have sent the request to another model than the caller's.</summary>
    private static string? AnsweredBy(object? innerContent) => innerContent switch
    {
        OpenAI.Chat.ChatCompletion { Model: { Length: > 0 } model } => model,
        OpenAI.Chat.StreamingChatCompletionUpdate { Model: { Length: > 0 } model } => model,
        _ => null,
    };

    private OpenAIChatCompletionService For(PromptExecutionSettings? settings)
    {
        string model = string.IsNullOrWhiteSpace(settings?.ModelId) ? DefaultModel : settings.ModelId;
        return _services.GetOrAdd(model, static (m, self) => new OpenAIChatCompletionService(m, self._client, self._loggerFactory), this);
    }
}
