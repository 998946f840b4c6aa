using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Services;
using OpenAI;
using SkGroq.Errors;

namespace SkGroq.SemanticKernel;

/// <summary>
/// Semantic Kernel's chat completion on Groq: Semantic Kernel's OpenAI connector over the <c>groq</c> HttpClient pipeline,
/// with the model chosen per call by <see cref="PromptExecutionSettings.ModelId"/> (default: <c>Groq:Model</c>).
/// </summary>
/// <remarks>
/// Groq validates tool calls server-side and answers an invalid one with 400 <c>tool_use_failed</c> (or, in a stream, an
/// error frame). Such a call gets one repair attempt: the validation error and the failed generation are fed back to the
/// model as a system message; a second failure surfaces as a <see cref="GroqToolUseFailedException"/> saying what to do.
/// Every answer's <see cref="KernelContent.ModelId"/> is the model that answered, which differs from the one asked for after a
/// model fallback.
/// </remarks>
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
    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        ThrowIfNoPrompt(chatHistory);
        OpenAIChatCompletionService service = For(executionSettings);
        try
        {
            return Answered(await service.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false));
        }
        catch (GroqException first) when (IsToolUseFailure(first))
        {
            ChatMessageContent repair = AddRepairMessage(chatHistory, first);
            try
            {
                return Answered(await service.GetChatMessageContentsAsync(chatHistory, executionSettings, kernel, cancellationToken).ConfigureAwait(false));
            }
            catch (GroqException second) when (IsToolUseFailure(second))
            {
                throw RepairFailed(second);
            }
            finally
            {
                chatHistory.Remove(repair);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Until an update with text or a tool call has reached the caller, a <c>tool_use_failed</c> gets the repair attempt
    /// described on the class; after that, updates pass through as Semantic Kernel's connector yields them (no async frame of
    /// this service's own per update), each with <see cref="KernelContent.ModelId"/> set to the model that answered.
    /// </remarks>
    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
        ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null,
        Kernel? kernel = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatHistory);
        return new GroqStreamingAnswer(For(executionSettings), chatHistory, executionSettings, kernel, cancellationToken);
    }

    /// <summary>Refuses a history with nothing to answer before anything is sent or counted.</summary>
    /// <remarks>
    /// Groq answers an empty history with a 400 about <c>messages</c> and an empty or blank user message with generated filler
    /// (billed); neither tells the caller that its own input was empty.
    /// </remarks>
    internal static void ThrowIfNoPrompt(ChatHistory chatHistory)
    {
        if (chatHistory.Count == 0)
        {
            throw new ArgumentException("The chat history is empty: there is no prompt to send. Add the question first, e.g. history.AddUserMessage(\"What is the capital of France?\").", nameof(chatHistory));
        }

        ChatMessageContent last = chatHistory[^1];
        if (last.Role == AuthorRole.User && last.Items.All(static item => item is TextContent text && string.IsNullOrWhiteSpace(text.Text)))
        {
            throw new ArgumentException("The prompt is empty or only whitespace: the last user message has no text. Put the question in it, or remove the empty message.", nameof(chatHistory));
        }
    }

    internal static bool IsToolUseFailure(GroqException exception) => exception.ErrorCode == "tool_use_failed";

    /// <summary>Sets each answer's <see cref="KernelContent.ModelId"/> to the model that answered (after a fallback, not the one asked for).</summary>
    private static IReadOnlyList<ChatMessageContent> Answered(IReadOnlyList<ChatMessageContent> contents)
    {
        foreach (ChatMessageContent content in contents)
        {
            content.ModelId = AnsweredBy(content.InnerContent) ?? content.ModelId;
        }

        return contents;
    }

    /// <summary>Gets the <c>model</c> field of Groq's answer: the model fallback may have sent the request to another model than the caller's.</summary>
    internal static string? AnsweredBy(object? innerContent) => innerContent switch
    {
        OpenAI.Chat.ChatCompletion { Model: { Length: > 0 } model } => model,
        OpenAI.Chat.StreamingChatCompletionUpdate { Model: { Length: > 0 } model } => model,
        _ => null,
    };

    internal static ChatMessageContent AddRepairMessage(ChatHistory history, GroqException failure)
    {
        string? generation = failure switch
        {
            GroqToolUseFailedException tool => tool.FailedGeneration,
            GroqStreamInterruptedException stream => stream.FailedGeneration,
            _ => null,
        };
        var message = new ChatMessageContent(
            AuthorRole.System,
            "Your previous reply was rejected because its tool call was invalid: " + (failure.Details.ServerMessage ?? failure.Message) +
            (string.IsNullOrEmpty(generation) ? string.Empty : " The rejected output was: " + generation) +
            " Call only the tools you were given, with arguments that match their JSON schema exactly, or answer without a tool if none fits.");
        history.Add(message);
        return message;
    }

    internal static GroqToolUseFailedException RepairFailed(GroqException failure)
        => new(
            "The model produced an invalid tool call twice, even after being told what was wrong (tool_use_failed): " +
            (failure.Details.ServerMessage ?? failure.Message) +
            ". Simplify the tools' parameter schemas, describe the tools more precisely, or use a model that follows tool schemas better.",
            failure.Details,
            failure)
        {
            FailedGeneration = (failure as GroqToolUseFailedException)?.FailedGeneration ?? (failure as GroqStreamInterruptedException)?.FailedGeneration,
        };

    private OpenAIChatCompletionService For(PromptExecutionSettings? settings)
    {
        string model = string.IsNullOrWhiteSpace(settings?.ModelId) ? DefaultModel : settings.ModelId;
        return _services.GetOrAdd(model, static (m, self) => new OpenAIChatCompletionService(m, self._client, self._loggerFactory), this);
    }
}
