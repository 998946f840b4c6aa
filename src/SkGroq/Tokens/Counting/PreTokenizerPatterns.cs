using System.Text.RegularExpressions;

namespace SkGroq.Tokens.Counting;

/// <summary>The pre-tokenizer split patterns of the supported vocabularies.</summary>
internal static partial class PreTokenizerPatterns
{
    /// <summary>Meta's Llama 3 pattern (also cl100k_base's, up to equivalent rewriting).</summary>
    internal const string Llama3 = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>OpenAI's o200k_base pattern (also o200k_harmony's), as Microsoft.ML.Tokenizers spells it.</summary>
    internal const string O200k = @"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    [GeneratedRegex(Llama3, RegexOptions.CultureInvariant)]
    internal static partial Regex Llama3Regex();

    [GeneratedRegex(O200k, RegexOptions.CultureInvariant)]
    internal static partial Regex O200kRegex();
}
