namespace SkGroq.Tokens;

/// <summary>The tokenizer families SkGroq counts for, as named by <see cref="Models.ModelInfo.Tokenizer"/>.</summary>
internal static class TokenizerFamilies
{
    /// <summary>Llama 3.1 and 3.3 (Meta's Llama 3 vocabulary and chat template).</summary>
    public const string Llama3 = "llama3";

    /// <summary>OpenAI's gpt-oss models (o200k_harmony vocabulary, harmony format).</summary>
    public const string GptOss = "gpt-oss";

    /// <summary>Qwen3 (Qwen BBPE vocabulary, ChatML template).</summary>
    public const string Qwen3 = "qwen3";

    /// <summary>Llama 4 Scout and Maverick (Llama 4 vocabulary and template).</summary>
    public const string Llama4 = "llama4";

    /// <summary>Moonshot's Kimi K2 (Kimi tiktoken vocabulary).</summary>
    public const string Kimi = "kimi";

    /// <summary>A model whose tokenizer SkGroq does not know: counted with a proxy vocabulary and a safety margin.</summary>
    public const string Unknown = "unknown";
}
