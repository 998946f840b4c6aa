namespace SkGroq.Tokens;

/// <summary>Counts tokens for one model family the way Groq counts them.</summary>
/// <remarks>
/// Instances are created once per family by <see cref="TokenCounterProvider"/>, shared, and safe to use from any thread.
/// Special-token strings in text (such as <c>&lt;|eot_id|&gt;</c>) count as the single special token, as they do once
/// Groq renders a prompt and tokenizes it.
/// </remarks>
public interface ITokenCounter
{
    /// <summary>Gets the tokenizer family, one of <see cref="TokenizerFamilies"/>.</summary>
    string Family { get; }

    /// <summary>Gets the vocabulary the counter uses, one of <see cref="TokenVocabularies"/>.</summary>
    string Vocabulary { get; }

    /// <summary>Gets a value indicating whether counts are exact: the model's own vocabulary and a verified chat template.</summary>
    bool IsExact { get; }

    /// <summary>Gets the tokens Groq bills on top of the generated text of a completion (the end-of-turn token, or harmony's structure).</summary>
    int EndOfTurnTokens { get; }

    /// <summary>Gets the tokens that frame generated reasoning in a completion, beyond the reasoning text (Qwen3's <c>&lt;think&gt;…&lt;/think&gt;</c>: 4; harmony's structure is in <see cref="EndOfTurnTokens"/>).</summary>
    int ReasoningFrameTokens { get; }

    /// <summary>Counts the tokens of a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The number of tokens.</returns>
    int CountTokens(ReadOnlySpan<char> text);

    /// <summary>Counts the <c>completion_tokens</c> Groq reports for generated text: its tokens plus <see cref="EndOfTurnTokens"/> (and <see cref="ReasoningFrameTokens"/> when there is reasoning).</summary>
    /// <param name="content">The generated answer.</param>
    /// <param name="reasoning">The generated reasoning, when the model reasons (gpt-oss analysis, Qwen3 thinking); empty otherwise.</param>
    /// <returns>The number of completion tokens.</returns>
    int CountCompletionTokens(ReadOnlySpan<char> content, ReadOnlySpan<char> reasoning = default);

    /// <summary>Counts the <c>prompt_tokens</c> of a chat prompt: the messages rendered with the family's chat template.</summary>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="reasoningEffort">The request's <c>reasoning_effort</c>, when set (Qwen3's <c>none</c> adds an empty thinking block).</param>
    /// <returns>The number of prompt tokens.</returns>
    int CountPromptTokens(IEnumerable<PromptMessage> messages, string? reasoningEffort = null);
}
