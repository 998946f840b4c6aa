using SkGroq.Models;
using SkGroq.Tokens.Counting;
using SkGroq.Tokens.Llama;
using SkGroq.Tokens.Templates;

namespace SkGroq.Tokens;

/// <summary>Hands out the token counter of each model: the family comes from the model catalog, or from the id for unknown models.</summary>
/// <remarks>
/// One counter per family, created on first use and shared; vocabularies are loaded once per process. Meta's Llama 3
/// vocabulary is looked for when the Llama 3 counter is first created (install it before, or create a new provider after).
/// Thread-safe.
/// </remarks>
public sealed class TokenCounterProvider
{
    private readonly ModelCatalog _catalog;
    private readonly string? _vocabularyDirectory;
    private readonly Lazy<TokenCounter> _llama3;
    private readonly Lazy<TokenCounter> _gptOss;
    private readonly Lazy<TokenCounter> _qwen3;
    private readonly Lazy<TokenCounter> _llama4;
    private readonly Lazy<TokenCounter> _kimi;
    private readonly Lazy<TokenCounter> _unknown;

    /// <summary>Initializes a new instance of the <see cref="TokenCounterProvider"/> class, e.g. without dependency injection.</summary>
    /// <param name="catalog">The model catalog; <see langword="null"/> for the built-in one.</param>
    /// <param name="options">The token counting settings; <see langword="null"/> for the defaults.</param>
    public TokenCounterProvider(ModelCatalog? catalog = null, TokenCountingOptions? options = null)
    {
        _catalog = catalog ?? new ModelCatalog();
        _vocabularyDirectory = options?.VocabularyDirectory;
        _llama3 = new(CreateLlama3);
        _gptOss = new(static () => Create(
            TokenizerFamilies.GptOss, TokenVocabularies.O200kHarmony, BpeEngines.O200k, SpecialTokens.Harmony, static t => new HarmonyChatTemplate(t),
            isExact: true, TokenCountingDefaults.ExactMargin, "gpt-oss's own vocabulary (o200k_harmony) and Groq's harmony rendering: exact."));
        _qwen3 = new(static () => Create(
            TokenizerFamilies.Qwen3, TokenVocabularies.O200kBase, BpeEngines.O200k, SpecialTokens.ChatML, static t => new ChatMLChatTemplate(t, qwen: true),
            isExact: false, TokenCountingDefaults.Qwen3Margin, "Qwen's vocabulary is not bundled; o200k_base is a close proxy (about 0.98 on English), budgeted with a 5% margin."));
        _llama4 = new(static () => Create(
            TokenizerFamilies.Llama4, TokenVocabularies.O200kBase, BpeEngines.O200k, SpecialTokens.Llama4, static t => new Llama4ChatTemplate(t),
            isExact: false, TokenCountingDefaults.Llama4Margin, "Llama 4's vocabulary is not available offline; o200k_base is a proxy (±2–4% on English and code, ×1.14 on CJK), budgeted with a 5% margin."));
        _kimi = new(static () => Create(
            TokenizerFamilies.Kimi, TokenVocabularies.Cl100kBase, BpeEngines.Cl100k, SpecialTokens.Kimi, static t => new KimiChatTemplate(t),
            isExact: false, TokenCountingDefaults.KimiMargin, "Kimi's vocabulary is not available; cl100k_base is a proxy, budgeted with a 15% margin."));
        _unknown = new(static () => Create(
            TokenizerFamilies.Unknown, TokenVocabularies.O200kBase, BpeEngines.O200k, SpecialTokenSet.Empty, static t => new ChatMLChatTemplate(t, qwen: false),
            isExact: false, TokenCountingDefaults.UnknownMargin, "The model's tokenizer is unknown; o200k_base and a ChatML-like template are a proxy, budgeted with a 20% margin."));
    }

    /// <summary>Gets the model catalog the provider resolves families with.</summary>
    public ModelCatalog Catalog => _catalog;

    /// <summary>Gets the status of Meta's Llama 3 vocabulary in the configured directory.</summary>
    /// <returns>The status (this hashes the file when present).</returns>
    internal LlamaVocabularyStatus GetLlamaVocabularyStatus() => LlamaVocabulary.Check(_vocabularyDirectory);

    /// <summary>Gets the token counter of a model.</summary>
    /// <param name="model">The model id, e.g. <c>llama-3.3-70b-versatile</c>.</param>
    /// <returns>The shared counter of the model's family.</returns>
    public ITokenCounter GetCounter(string model) => GetTokenCounter(model);

    /// <summary>Gets the tokenizer family of a model: the catalog's, or one guessed from the id.</summary>
    /// <param name="model">The model id.</param>
    /// <returns>One of <see cref="TokenizerFamilies"/>.</returns>
    public string GetFamily(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _catalog.TryGet(model, out ModelInfo? info) && Normalize(info.Tokenizer) is { } family ? family : GuessFamily(model);
    }

    /// <summary>Describes how a model's tokens are counted: family, vocabulary, exactness and why.</summary>
    /// <param name="model">The model id.</param>
    /// <returns>The description.</returns>
    public TokenCounterDescription Describe(string model)
    {
        TokenCounter counter = GetTokenCounter(model);
        return new TokenCounterDescription(model, counter.Family, counter.Vocabulary, counter.IsExact, counter.Note);
    }

    /// <summary>Counts the <c>prompt_tokens</c> of a chat prompt for a model.</summary>
    /// <param name="model">The model id.</param>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="reasoningEffort">The request's <c>reasoning_effort</c>, when set.</param>
    /// <returns>The number of prompt tokens.</returns>
    public int CountPromptTokens(string model, IEnumerable<PromptMessage> messages, string? reasoningEffort = null) =>
        GetTokenCounter(model).CountPromptTokens(messages, reasoningEffort);

    /// <summary>Guesses the family of a model the catalog does not know, from its id.</summary>
    /// <param name="model">The model id, with or without an owner prefix such as <c>meta-llama/</c>.</param>
    /// <returns>One of <see cref="TokenizerFamilies"/>.</returns>
    public static string GuessFamily(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ReadOnlySpan<char> name = model.AsSpan(model.LastIndexOf('/') + 1);
        return name switch
        {
            _ when StartsWith(name, "gpt-oss") => TokenizerFamilies.GptOss,
            _ when StartsWith(name, "llama-4") || StartsWith(name, "llama4") || StartsWith(name, "llama-guard-4") => TokenizerFamilies.Llama4,
            _ when StartsWith(name, "llama-3") || StartsWith(name, "llama3") || StartsWith(name, "llama-guard-3") => TokenizerFamilies.Llama3,
            _ when StartsWith(name, "qwen") => TokenizerFamilies.Qwen3,
            _ when StartsWith(name, "kimi") => TokenizerFamilies.Kimi,
            _ => TokenizerFamilies.Unknown,
        };

        static bool StartsWith(ReadOnlySpan<char> name, string prefix) => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Gets the internal counter of a model.</summary>
    /// <param name="model">The model id.</param>
    /// <returns>The counter.</returns>
    internal TokenCounter GetTokenCounter(string model) => GetFamily(model) switch
    {
        TokenizerFamilies.Llama3 => _llama3.Value,
        TokenizerFamilies.GptOss => _gptOss.Value,
        TokenizerFamilies.Qwen3 => _qwen3.Value,
        TokenizerFamilies.Llama4 => _llama4.Value,
        TokenizerFamilies.Kimi => _kimi.Value,
        _ => _unknown.Value,
    };

    private static string? Normalize(string? family) => family?.Trim().ToLowerInvariant() switch
    {
        TokenizerFamilies.Llama3 => TokenizerFamilies.Llama3,
        TokenizerFamilies.GptOss => TokenizerFamilies.GptOss,
        TokenizerFamilies.Qwen3 => TokenizerFamilies.Qwen3,
        TokenizerFamilies.Llama4 => TokenizerFamilies.Llama4,
        TokenizerFamilies.Kimi => TokenizerFamilies.Kimi,
        TokenizerFamilies.Unknown => TokenizerFamilies.Unknown,
        _ => null,
    };

    private static TokenCounter Create(
        string family, string vocabulary, BpeEngine engine, SpecialTokenSet specials, Func<TextCounter, ChatTemplate> template, bool isExact, double margin, string note)
    {
        var text = new TextCounter(vocabulary, engine, specials);
        return new TokenCounter(family, text, template(text), isExact, margin, note);
    }

    private TokenCounter CreateLlama3()
    {
        LlamaVocabularyStatus status;
        string why;
        try
        {
            status = LlamaVocabulary.Check(_vocabularyDirectory);
            if (status.State == LlamaVocabularyState.Installed)
            {
                return Create(
                    TokenizerFamilies.Llama3, TokenVocabularies.Llama3, BpeEngines.GetLlama3(status.Path), SpecialTokens.Llama3Set, static t => new Llama3ChatTemplate(t),
                    isExact: true, TokenCountingDefaults.ExactMargin, $"Meta's Llama 3 vocabulary ({status.Path}): exact. {LlamaVocabulary.LicenseNotice} {LlamaVocabulary.Attribution}.");
            }

            why = status.State == LlamaVocabularyState.Invalid
                ? $"The file at {status.Path} is not Meta's Llama 3 vocabulary (sha256 {status.ActualSha256}, expected {LlamaVocabulary.Sha256}); it is ignored."
                : $"Meta's Llama 3 vocabulary is not installed ({status.Path}).";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Counting must keep working: an unreadable vocabulary degrades to the proxy, and the note says why.
            why = $"Meta's Llama 3 vocabulary could not be read from {LlamaVocabulary.GetPath(_vocabularyDirectory)} ({ex.Message}).";
        }

        return Create(
            TokenizerFamilies.Llama3, TokenVocabularies.Cl100kBase, BpeEngines.Cl100k, SpecialTokens.Llama3Set, static t => new Llama3ChatTemplate(t),
            isExact: false, TokenCountingDefaults.ExactMargin,
            why + " Counting with cl100k_base: exact on English and code, over-counts other scripts. Install it with the console's `tokens install-vocab llama3` (in code: `LlamaVocabularyInstaller`) for exact counts.");
    }
}
