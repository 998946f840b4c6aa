namespace SkGroq.Tokens;

/// <summary>Constants of token counting: splitting limits, safety margins and the calibrated estimates of server-side overheads.</summary>
/// <remarks>Overheads come from docs/GROQ-API.md §10 ("Not renderable exactly"): measured on real Groq responses, then learned per model.</remarks>
internal static class TokenCountingDefaults
{
    /// <summary>The longest pre-tokenized piece counted in one BPE pass; longer pieces are counted in chunks of this many characters.</summary>
    /// <remarks>
    /// Microsoft.ML.Tokenizers 2.0.x merges a piece in quadratic time (200,000 spaces take seconds). Chunking bounds the cost
    /// at the price of an approximation: merges across a chunk boundary are lost, so a split piece may count up to one token
    /// more per chunk. Ordinary text never has pieces this long (words, numbers, punctuation runs); only long runs of one
    /// character class (whitespace, letters without spaces, symbol rulers) are split.
    /// </remarks>
    public const int MaxPieceLength = 256;

    /// <summary>The budget margin of counts with the model's own vocabulary (Llama 3 with Meta's file or cl100k_base, gpt-oss).</summary>
    public const double ExactMargin = 1.0;

    /// <summary>The budget margin of Qwen3 counted with o200k_base (about 0.98 of Qwen's count on English).</summary>
    public const double Qwen3Margin = 1.05;

    /// <summary>The budget margin of Llama 4 counted with o200k_base (±2–4% on English and code, ×1.14 on CJK).</summary>
    public const double Llama4Margin = 1.05;

    /// <summary>The budget margin of Kimi K2 counted with cl100k_base.</summary>
    public const double KimiMargin = 1.15;

    /// <summary>The budget margin of models whose tokenizer is unknown, counted with o200k_base.</summary>
    public const double UnknownMargin = 1.2;

    /// <summary>The budget margin on estimated parts (tools, response formats, images, tool-call structure).</summary>
    public const double EstimatedPartsMargin = 1.25;

    /// <summary>The estimated prompt tokens of one image (Groq bills 750–2,300 per image depending on its size).</summary>
    public const int ImageTokens = 1_600;

    /// <summary>The estimated tokens Groq adds for <c>response_format: {"type": "json_object"}</c>.</summary>
    public const int JsonObjectTokens = 30;

    /// <summary>The estimated tokens Groq adds for <c>response_format: {"type": "json_schema"}</c>, on top of the schema's own tokens.</summary>
    public const int JsonSchemaTokens = 60;

    /// <summary>The weight of a new observation in the exponentially weighted correction ratio.</summary>
    public const double CalibrationSmoothing = 0.2;

    /// <summary>The smallest correction ratio (reported / estimated) calibration accepts.</summary>
    public const double MinCorrection = 0.5;

    /// <summary>The largest correction ratio (reported / estimated) calibration accepts.</summary>
    public const double MaxCorrection = 4.0;

    /// <summary>The most (model, feature) corrections kept; later feature tags fall back to their model's correction.</summary>
    public const int MaxCorrections = 1_024;
}
