using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Hosting;
using SkGroq.Models;
using SkGroq.Tokens;
using SkGroq.Usage;

namespace SkGroq.Tests.Live;

/// <summary>
/// Against the real Groq API. They run only when GROQ_API_KEY is set (GROQ_BASE_URL and GROQ_MODEL are honoured too);
/// otherwise they report as skipped. They spend a few hundred tokens of quota.
/// </summary>
public sealed class LiveGroqTests
{
    private static readonly string? s_key = Environment.GetEnvironmentVariable(GroqEnvironmentVariables.ApiKey);

    [Fact]
    public async Task Models_ListsTheConfiguredModel()
    {
        using ServiceProvider services = Build();
        var catalog = services.GetRequiredService<ModelCatalog>();

        IReadOnlyList<RemoteModel> models = await catalog.RefreshAsync(
            services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName), TestContext.Current.CancellationToken);

        Assert.NotEmpty(models);
        Assert.Contains(models, m => m.Id == Model());
    }

    [Fact]
    public async Task Streaming_ThroughPipeline_ReportsUsageMatchingTheLocalCount()
    {
        using ServiceProvider services = Build();
        var history = new ChatHistory("You are a helpful assistant.");
        history.AddUserMessage("What is the capital of France? Answer in one short sentence.");

        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions { Feature = "live-test" });
        var text = new StringBuilder();
        await foreach (StreamingChatMessageContent update in services.GetRequiredService<IChatCompletionService>().GetStreamingChatMessageContentsAsync(
            history, new OpenAIPromptExecutionSettings { ModelId = Model(), MaxTokens = 64, Temperature = 0 }, cancellationToken: TestContext.Current.CancellationToken))
        {
            text.Append(update.Content);
        }

        Assert.Contains("Paris", text.ToString(), StringComparison.OrdinalIgnoreCase);
        UsageRecord record = Assert.Single(scope.Records);
        Assert.Equal(UsageOutcome.Ok, record.Outcome);
        Assert.StartsWith("req_", record.RequestId, StringComparison.Ordinal);
        Assert.NotNull(record.Usage);

        TokenCounterDescription counter = services.GetRequiredService<TokenCounterProvider>().Describe(Model());
        if (counter.IsExact)
        {
            Assert.Equal(record.Usage.PromptTokens, record.EstimatedPromptTokens);
        }
    }

    private static string Model() => Environment.GetEnvironmentVariable(GroqEnvironmentVariables.Model) is { Length: > 0 } model ? model : GroqDefaults.Model;

    private static ServiceProvider Build()
    {
        Assert.SkipWhen(string.IsNullOrWhiteSpace(s_key), "GROQ_API_KEY is not set: live tests against the real Groq API are skipped.");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = s_key;
            o.BaseUrl = Environment.GetEnvironmentVariable(GroqEnvironmentVariables.BaseUrl) is { Length: > 0 } url ? url : GroqDefaults.BaseUrl;
            o.Model = Model();
            o.Usage.Persist = false;
        });
        return services.BuildServiceProvider();
    }
}
