using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Tokens;

namespace SkGroq.Tests.Tokens;

public sealed class TokensServiceCollectionExtensionsTests
{
    [Fact]
    public void AddGroq_RegistersOneSharedEstimatorAndProvider()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddGroq(o =>
            {
                o.ApiKey = "gsk_test";
                o.Tokens.VocabularyDirectory = TokenTestProviders.EmptyVocabularyDirectory;
            }).Services
            .BuildServiceProvider();

        IRequestTokenEstimator estimator = services.GetRequiredService<IRequestTokenEstimator>();

        RequestTokenEstimator concrete = Assert.IsType<RequestTokenEstimator>(estimator);
        Assert.Same(concrete, services.GetRequiredService<RequestTokenEstimator>());
        Assert.Same(services.GetRequiredService<TokenCounterProvider>(), concrete.Counters);
        Assert.Equal(41, estimator.Estimate("llama-3.1-8b-instant", """{"messages":[{"role":"user","content":"Say hello in onesentence."}]}"""u8).PromptTokens);
        Assert.Equal(TokenTestProviders.EmptyVocabularyDirectory, Path.GetDirectoryName(concrete.Counters.GetLlamaVocabularyStatus().Path));
    }

    [Fact]
    public void AddGroq_EstimatorRegisteredEarlier_Wins()
    {
        var mine = new RequestTokenEstimator(TokenTestProviders.WithoutLlamaVocabulary);
        IServiceCollection collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton<IRequestTokenEstimator>(mine);

        using ServiceProvider services = collection.AddGroq(o => o.ApiKey = "gsk_test").Services.BuildServiceProvider();

        Assert.Same(mine, services.GetRequiredService<IRequestTokenEstimator>());
    }
}
