using CsCheck;
using SkGroq.Tokens;

namespace SkGroq.Tests.Tokens;

/// <summary>Generators and helpers for token-counting property tests.</summary>
internal static class TokenTestText
{
    /// <summary>Fragments that exercise the pre-tokenizer: whitespace runs, newlines, contractions, digits, scripts, emoji, special tokens.</summary>
    private static readonly string[] s_fragments =
    [
        " ", "  ", "\n", "\n\n", "\t", "\r\n", "hello", " world", "Hello", "'s", "'LL", "123", "4567", "!", "?!", " .", "中文", "😀",
        "é", "ÀBc", "-----", "\u001c", "don't", "x", "  \n  ", "<|eot_id|>", "<|im_end|>", "<|end|>", "<|", "|>", "naïve", "Привет", "/",
    ];

    /// <summary>Gets a generator of texts assembled from <see cref="s_fragments"/>.</summary>
    public static Gen<string> Text { get; } = Gen.OneOf(s_fragments).Array[0, 10].Select(string.Concat);

    /// <summary>Gets a generator of chat roles.</summary>
    public static Gen<string> Role { get; } = Gen.OneOf("user", "assistant", "system");

    /// <summary>Gets a generator of message lists.</summary>
    public static Gen<PromptMessage[]> Messages { get; } = Gen.Select(Role, Text, static (role, text) => new PromptMessage(role, text)).Array[0, 5];
}
