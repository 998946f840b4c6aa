namespace SkGroq.Tokens.Counting;

/// <summary>The special tokens of each chat format SkGroq renders.</summary>
internal static class SpecialTokens
{
    /// <summary>The id of Llama 3's first special token (<c>&lt;|begin_of_text|&gt;</c>), right after the 128,000 ranks.</summary>
    internal const int Llama3FirstSpecialId = 128_000;

    /// <summary>Gets Llama 3.1's 256 special tokens with their ids, as Meta's <c>tokenizer.py</c> defines them.</summary>
    public static IReadOnlyDictionary<string, int> Llama3 { get; } = CreateLlama3();

    /// <summary>Gets Llama 4's special tokens used in chat (not the reserved ones).</summary>
    public static SpecialTokenSet Llama4 { get; } = new(
    [
        "<|begin_of_text|>", "<|end_of_text|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|header_start|>", "<|header_end|>",
        "<|eom|>", "<|eot|>", "<|step|>", "<|python_start|>", "<|python_end|>", "<|finetune_right_pad|>", "<|image_start|>", "<|image_end|>",
        "<|image|>", "<|patch|>", "<|tile_x_separator|>", "<|tile_y_separator|>",
    ]);

    /// <summary>Gets Qwen3's ChatML special tokens.</summary>
    public static SpecialTokenSet ChatML { get; } = new(
    [
        "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>", "<|box_end|>",
        "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
        "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>",
    ]);

    /// <summary>Gets Kimi K2's chat special tokens.</summary>
    public static SpecialTokenSet Kimi { get; } = new(
    [
        "<|im_end|>", "<|im_user|>", "<|im_assistant|>", "<|im_system|>", "<|im_middle|>", "<|start_header_id|>", "<|end_header_id|>",
        "<|tool_calls_section_begin|>", "<|tool_calls_section_end|>", "<|tool_call_begin|>", "<|tool_call_argument_begin|>", "<|tool_call_end|>",
    ]);

    /// <summary>Gets o200k_harmony's special tokens (gpt-oss), as Microsoft.ML.Tokenizers defines them.</summary>
    public static SpecialTokenSet Harmony { get; } = new(
    [
        "<|startoftext|>", "<|endoftext|>", "<|return|>", "<|constrain|>", "<|channel|>", "<|start|>", "<|end|>", "<|message|>", "<|call|>",
        "<|endofprompt|>", "<|reserved_200000|>", "<|reserved_200001|>", "<|reserved_200004|>", "<|reserved_200009|>", "<|reserved_200010|>",
        "<|reserved_200011|>", "<|reserved_200013|>", "<|reserved_200014|>", "<|reserved_200015|>", "<|reserved_200016|>", "<|reserved_200017|>",
    ]);

    /// <summary>Gets Llama 3's special tokens as a set.</summary>
    public static SpecialTokenSet Llama3Set { get; } = new(Llama3.Keys);

    private static Dictionary<string, int> CreateLlama3()
    {
        string[] named =
        [
            "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
            "<|finetune_right_pad_id|>", "<|step_id|>", "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
        ];
        var tokens = new Dictionary<string, int>(256, StringComparer.Ordinal);
        for (int i = 0; i < named.Length; i++)
        {
            tokens.Add(named[i], Llama3FirstSpecialId + i);
        }

        for (int i = named.Length; i < 256; i++)
        {
            tokens.Add($"<|reserved_special_token_{i - named.Length + 2}|>", Llama3FirstSpecialId + i);
        }

        return tokens;
    }
}
