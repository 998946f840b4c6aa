using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using SkGroq.Models;
using SkGroq.Tokens;

namespace SkGroq.Conversations;

/// <summary>Creates <see cref="GroqConversation"/>s with the configured model and <c>Groq:Conversations</c> settings.</summary>
/// <param name="chat">The chat completion service.</param>
/// <param name="counters">The token counters.</param>
/// <param name="catalog">The model catalog.</param>
/// <param name="options">The conversation settings (<c>Groq:Conversations</c>).</param>
/// <param name="timeProvider">The clock.</param>
public sealed class GroqConversationFactory(
    IChatCompletionService chat,
    TokenCounterProvider counters,
    ModelCatalog catalog,
    IOptions<ConversationOptions> options,
    TimeProvider timeProvider)
{
    /// <summary>Starts a conversation.</summary>
    /// <param name="systemMessage">The system message.</param>
    /// <param name="model">The model; the chat service's own (<c>Groq:Model</c>) when <see langword="null"/>.</param>
    /// <param name="id">The conversation id; a new one when <see langword="null"/>.</param>
    /// <returns>The conversation.</returns>
    public GroqConversation Create(string? systemMessage = null, string? model = null, string? id = null)
        => new(chat, counters, catalog, options.Value, model ?? chat.GetModelId() ?? throw new InvalidOperationException(
            "No model was given and the chat completion service names none. Pass a model, or set Groq:Model (GROQ_MODEL)."), systemMessage, id, timeProvider);
}
