namespace SkGroq.Tokens;

/// <summary>The vocabularies a token counter can report it used.</summary>
internal static class TokenVocabularies
{
    /// <summary>Meta's Llama 3 vocabulary (128,000 ranks and 256 special tokens), installed by the user.</summary>
    public const string Llama3 = "llama3";

    /// <summary>OpenAI's cl100k_base (MIT, from NuGet); Llama 3's first 100,256 ranks.</summary>
    public const string Cl100kBase = "cl100k_base";

    /// <summary>OpenAI's o200k_harmony, gpt-oss's own vocabulary (o200k_base ranks plus the harmony special tokens).</summary>
    public const string O200kHarmony = "o200k_harmony";

    /// <summary>OpenAI's o200k_base (MIT, from NuGet), used as a proxy for vocabularies that are not available.</summary>
    public const string O200kBase = "o200k_base";
}
