using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Context;

namespace SkGroq.Conversations;

/// <summary>Summarizes dropped turns with a (cheaper) model, so a long conversation keeps its gist when old turns no longer fit.</summary>
/// <param name="chat">The chat completion service.</param>
/// <param name="model">The summarizing model.</param>
/// <param name="maxTokens">The most tokens of a summary.</param>
internal sealed class ConversationSummarizer(IChatCompletionService chat, string model, int maxTokens)
{
    /// <summary>Gets the summarizing model.</summary>
    public string Model { get; } = model;

    /// <summary>Gets the most tokens of a summary.</summary>
    public int MaxTokens { get; } = maxTokens;

    /// <summary>Summarizes messages (and a previous summary) into one system message.</summary>
    /// <param name="previousSummary">The summary that already stood for older turns, if any.</param>
    /// <param name="dropped">The messages being dropped.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A system message starting with <see cref="ConversationDefaults.SummaryPrefix"/>.</returns>
    public async Task<ChatMessageContent> SummarizeAsync(string? previousSummary, IReadOnlyList<ChatMessageContent> dropped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dropped);
        var transcript = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(previousSummary))
        {
            transcript.Append("Earlier summary: ").AppendLine(previousSummary);
        }

        foreach (ChatMessageContent message in dropped)
        {
            transcript.Append(message.Role.Label).Append(": ").AppendLine(ChatMessageTokens.ToPrompt(message).Content);
        }

        var history = new ChatHistory(
            "You condense conversations. Write a short factual summary of the transcript: names, numbers, decisions, facts the user stated and open questions. " +
            "No preamble, no opinions, at most 120 words.");
        history.AddUserMessage(transcript.ToString());

        GroqRequestOptions options = GroqRequestContext.Current?.Options ?? new GroqRequestOptions();
        using GroqRequestScope scope = GroqRequestContext.Begin(options with { Feature = "conversation-summary" });
        ChatMessageContent summary = await chat.GetChatMessageContentAsync(
            history,
            new OpenAIPromptExecutionSettings { ModelId = Model, MaxTokens = MaxTokens, Temperature = 0 },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ChatMessageContent(AuthorRole.System, ConversationDefaults.SummaryPrefix + summary.Content?.Trim());
    }
}
