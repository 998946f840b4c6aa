namespace SkGroq.Emulator.Tokens;

/// <summary>The emulator's seam onto SkGroq's token counter: what Groq would report for prompts and completions.</summary>
internal interface IEmulatorTokenizer
{
    /// <summary>Counts the prompt tokens Groq would report for a chat-completion request body.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="requestJson">The request body.</param>
    /// <returns><c>usage.prompt_tokens</c>.</returns>
    int CountPromptTokens(string model, ReadOnlySpan<byte> requestJson);

    /// <summary>Counts the tokens of generated text with the model's vocabulary (no template, no end token).</summary>
    /// <param name="model">The model id.</param>
    /// <param name="text">The text.</param>
    /// <returns>The token count.</returns>
    int CountTokens(string model, string text);

    /// <summary>Gets the tokens a finished turn adds after its content (Llama's <c>&lt;|eot_id|&gt;</c>: 1).</summary>
    /// <param name="model">The model id.</param>
    /// <returns>The end-of-turn token count.</returns>
    int EndOfTurnTokens(string model);

    /// <summary>Gets the tokens framing reasoning text in a completion (Qwen3's think block: 4; harmony counts its structure in <see cref="EndOfTurnTokens"/>).</summary>
    /// <param name="model">The model id.</param>
    /// <returns>The frame token count.</returns>
    int ReasoningFrameTokens(string model);
}
