using SkGroq.Configuration;
using SkGroq.Models;
using SkGroq.Tokens;

namespace SkGroq.Tests.Tokens;

public sealed class TokenCounterProviderTests
{
    private static TokenCounterProvider Provider => TokenTestProviders.WithoutLlamaVocabulary;

    [Theory]
    [InlineData("llama-3.1-8b-instant", TokenizerFamilies.Llama3, TokenVocabularies.Cl100kBase)]
    [InlineData("llama-3.3-70b-versatile", TokenizerFamilies.Llama3, TokenVocabularies.Cl100kBase)]
    [InlineData("openai/gpt-oss-120b", TokenizerFamilies.GptOss, TokenVocabularies.O200kHarmony)]
    [InlineData("openai/gpt-oss-20b", TokenizerFamilies.GptOss, TokenVocabularies.O200kHarmony)]
    [InlineData("groq/compound", TokenizerFamilies.GptOss, TokenVocabularies.O200kHarmony)]
    [InlineData("qwen/qwen3-32b", TokenizerFamilies.Qwen3, TokenVocabularies.O200kBase)]
    [InlineData("meta-llama/llama-4-scout-17b-16e-instruct", TokenizerFamilies.Llama4, TokenVocabularies.O200kBase)]
    [InlineData("meta-llama/llama-guard-4-12b", TokenizerFamilies.Llama4, TokenVocabularies.O200kBase)]
    [InlineData("moonshotai/kimi-k2-instruct-0905", TokenizerFamilies.Kimi, TokenVocabularies.Cl100kBase)]
    [InlineData("allam-2-7b", TokenizerFamilies.Unknown, TokenVocabularies.O200kBase)]
    public void GetCounter_CatalogModel_UsesCatalogFamilyAndVocabulary(string model, string family, string vocabulary)
    {
        ITokenCounter counter = Provider.GetCounter(model);

        Assert.Equal(family, counter.Family);
        Assert.Equal(vocabulary, counter.Vocabulary);
    }

    [Theory]
    [InlineData("llama-3.2-90b-vision-preview", TokenizerFamilies.Llama3)]
    [InlineData("llama3-70b-8192", TokenizerFamilies.Llama3)]
    [InlineData("meta-llama/Llama-Guard-3-8B", TokenizerFamilies.Llama3)]
    [InlineData("meta-llama/llama-4-behemoth", TokenizerFamilies.Llama4)]
    [InlineData("llama4-something", TokenizerFamilies.Llama4)]
    [InlineData("openai/gpt-oss-safeguard-120b", TokenizerFamilies.GptOss)]
    [InlineData("gpt-oss-7b", TokenizerFamilies.GptOss)]
    [InlineData("qwen/qwen3-235b", TokenizerFamilies.Qwen3)]
    [InlineData("qwen-qwq-32b", TokenizerFamilies.Qwen3)]
    [InlineData("moonshotai/kimi-k3", TokenizerFamilies.Kimi)]
    [InlineData("mistral-saba-24b", TokenizerFamilies.Unknown)]
    [InlineData("deepseek-r1-distill-llama-70b", TokenizerFamilies.Unknown)]
    [InlineData("", TokenizerFamilies.Unknown)]
    public void GetFamily_ModelNotInCatalog_GuessesFromId(string model, string family)
    {
        Assert.False(Provider.Catalog.TryGet(model, out _));

        Assert.Equal(family, Provider.GetFamily(model));
        Assert.Equal(family, Provider.GetCounter(model).Family);
    }

    [Fact]
    public void GetFamily_CatalogOverride_WinsOverId()
    {
        var catalog = new ModelCatalog(GroqTier.Free, new Dictionary<string, ModelOverride>
        {
            ["my-llama-3-finetune"] = new() { Tokenizer = "gpt-oss" },
            ["custom"] = new() { Tokenizer = "LLAMA4" },
            ["weird"] = new() { Tokenizer = "sentencepiece" },
        });
        var provider = new TokenCounterProvider(catalog, new TokenCountingOptions { VocabularyDirectory = TokenTestProviders.EmptyVocabularyDirectory });

        Assert.Equal(TokenizerFamilies.GptOss, provider.GetFamily("my-llama-3-finetune"));
        Assert.Equal(TokenizerFamilies.Llama4, provider.GetFamily("custom"));
        Assert.Equal(TokenizerFamilies.Unknown, provider.GetFamily("weird"));
    }

    [Fact]
    public void GetCounter_SameFamily_ReturnsSharedInstance()
    {
        Assert.Same(Provider.GetCounter("llama-3.1-8b-instant"), Provider.GetCounter("llama-3.3-70b-versatile"));
        Assert.Same(Provider.GetCounter("openai/gpt-oss-20b"), Provider.GetCounter("openai/gpt-oss-120b"));
    }

    [Fact]
    public void Describe_LlamaWithoutVocabulary_SaysCl100kIsNotExactAndHowToInstall()
    {
        TokenCounterDescription description = Provider.Describe("llama-3.3-70b-versatile");

        Assert.Equal(TokenVocabularies.Cl100kBase, description.Vocabulary);
        Assert.False(description.IsExact);
        Assert.Contains("not installed", description.Note, StringComparison.Ordinal);
        Assert.Contains("tokens install-vocab llama3", description.Note, StringComparison.Ordinal);
        Assert.Contains("LlamaVocabularyInstaller", description.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_InvalidVocabularyFile_IsIgnoredAndSaysWhy()
    {
        string directory = Directory.CreateTempSubdirectory("skgroq-vocab-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "llama3.tiktoken"), "IQ== 0\n");
            var provider = new TokenCounterProvider(options: new TokenCountingOptions { VocabularyDirectory = directory });

            TokenCounterDescription description = provider.Describe("llama-3.1-8b-instant");

            Assert.Equal(TokenVocabularies.Cl100kBase, description.Vocabulary);
            Assert.False(description.IsExact);
            Assert.Contains("is not Meta's Llama 3 vocabulary", description.Note, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("openai/gpt-oss-120b", true)]
    [InlineData("qwen/qwen3-32b", false)]
    [InlineData("meta-llama/llama-4-maverick-17b-128e-instruct", false)]
    [InlineData("moonshotai/kimi-k2-instruct", false)]
    [InlineData("unknown-model", false)]
    public void Describe_ReportsExactness(string model, bool exact) => Assert.Equal(exact, Provider.Describe(model).IsExact);

    [Fact]
    public void Constructor_FromGroqOptions_UsesTokensVocabularyDirectory()
    {
        var options = new GroqOptions();
        options.Tokens.VocabularyDirectory = TokenTestProviders.EmptyVocabularyDirectory;
        var provider = new TokenCounterProvider(new ModelCatalog(), options.Tokens);

        Assert.Equal(Path.Combine(TokenTestProviders.EmptyVocabularyDirectory, "llama3.tiktoken"), provider.GetLlamaVocabularyStatus().Path);
    }
}
