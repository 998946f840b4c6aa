using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Context;
using SkGroq.Emulator.Faults;
using SkGroq.Errors;
using SkGroq.Tests.Inspection;
using SkGroq.Tests.Integration;
using SkGroq.Usage;

namespace SkGroq.Tests.Reliability;

/// <summary>
/// The bad-input catalogue (docs/RELIABILITY.md): each bad input, through Semantic Kernel and the full pipeline, ends with one
/// exact error that says what is wrong and what to do — and what was never sent is neither sent nor billed.
/// </summary>
public sealed class BadInputTests
{
    private const string Model = "llama-3.1-8b-instant";

    private const string NotAChatCompletion =
        "answered 200 with a body that is not a complete chat completion (cut off, or not JSON) instead of Groq's chat completion API. Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1 (or the emulator's address), not a web page or a proxy's login page.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", false)]
    [InlineData("   \n\t ", false)]
    [InlineData("", true)]
    [InlineData(" ", true)]
    public async Task EmptyOrWhitespacePrompt_IsRefusedBeforeSending(string prompt, bool stream)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();

        Exception? error = await Record.ExceptionAsync(() => AskAsync(host, History(prompt), stream: stream));

        ArgumentException refused = Assert.IsType<ArgumentException>(error);
        Assert.Equal("The prompt is empty or only whitespace: the last user message has no text. Put the question in it, or remove the empty message. (Parameter 'chatHistory')", refused.Message);
        Assert.Equal(0, host.Emulator.Accounting.Totals().Requests);
    }

    [Fact]
    public async Task EmptyHistory_IsRefusedBeforeSending()
    {
        await using PipelineHost host = await PipelineHost.StartAsync();

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => AskAsync(host, []));

        Assert.Equal("The chat history is empty: there is no prompt to send. Add the question first, e.g. history.AddUserMessage(\"What is the capital of France?\"). (Parameter 'chatHistory')", refused.Message);
        Assert.Equal(0, host.Emulator.Accounting.Totals().Requests);
    }

    [Fact]
    public async Task WhitespaceUserMessage_BeforeAnAnswer_IsNotThePrompt_AndIsSent()
    {
        // Only the last message is the prompt: an empty turn earlier in a history is the caller's business.
        await using PipelineHost host = await PipelineHost.StartAsync();
        ChatHistory history = History(" ");
        history.AddAssistantMessage("Did you mean to ask something?");
        history.AddUserMessage("Yes: what is the capital of France?");

        ChatMessageContent answer = await host.Chat.GetChatMessageContentAsync(history, cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(answer.Content));
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(840_000)]
    public async Task PromptOverTheContextWindow_IncludingOneMegabyte_IsNotSent_AndFailsOnce(int characters)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();
        string prompt = string.Concat(Enumerable.Repeat("hello world ", characters / 12));
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());

        GroqContextLengthExceededException error = await Assert.ThrowsAsync<GroqContextLengthExceededException>(() => AskAsync(host, History(prompt)));

        Assert.Matches(@"^Not sent: the prompt \(about [0-9,]+ tokens\) does not fit the 131,072-token context window of llama-3\.1-8b-instant\. Shorten the history or lower max tokens\.$", error.Message);
        Assert.Equal(131_072, error.ContextWindow);
        Assert.True(error.RequestedTokens > 131_072);
        Assert.Equal(0, host.Emulator.Accounting.Totals().Requests);
        UsageRecord record = Assert.Single(scope.Records);
        Assert.Equal((UsageOutcome.Error, "context_length_exceeded", 0L), (record.Outcome, record.ErrorKind, record.BilledPromptTokens));
    }

    [Theory]
    [InlineData("llama-3.3-70b-versatile", 40_000, "Not sent: max tokens (40,000) is more than llama-3.3-70b-versatile can generate in one answer (32,768). Set max tokens (MaxTokens in the execution settings) to 32,768 or less.")]
    [InlineData(Model, 1_000_000, "Not sent: max tokens (1,000,000) is more than llama-3.1-8b-instant can generate in one answer (131,072). Set max tokens (MaxTokens in the execution settings) to 131,072 or less.")]
    public async Task MaxTokensOverTheModelsMaximum_IsNotSent_AndNamesTheMaximum(string model, int maxTokens, string message)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();

        GroqBadRequestException error = await Assert.ThrowsAsync<GroqBadRequestException>(
            () => AskAsync(host, History("Hi"), new OpenAIPromptExecutionSettings { ModelId = model, MaxTokens = maxTokens }));

        Assert.Equal(message, error.Message);
        Assert.Equal("max_completion_tokens", error.Details.Param);
        Assert.Equal(0, host.Emulator.Accounting.Totals().Requests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UnknownModel_SaysHowToListModels(bool stream)
    {
        await using PipelineHost host = await PipelineHost.StartAsync();

        GroqNotFoundException error = await Assert.ThrowsAsync<GroqNotFoundException>(
            () => AskAsync(host, History("Hi"), new OpenAIPromptExecutionSettings { ModelId = "llama-9-nonexistent" }, stream));

        Assert.Equal("Model 'llama-9-nonexistent' does not exist or your organization has no access to it (model_not_found). Set Groq:Model (GROQ_MODEL) to one of the models Groq lists for your key (GET /models).", error.Message);
        Assert.Equal(404, error.StatusCode);
    }

    [Fact]
    public async Task InvalidKey_SaysWhichSettingToFix_WithoutTheKey()
    {
        const string Key = "gsk_wrong_key_4f1c9a7e2b6d";
        await using PipelineHost host = await PipelineHost.StartAsync(groq: o => o.ApiKey = Key);

        GroqAuthenticationException error = await Assert.ThrowsAsync<GroqAuthenticationException>(() => AskAsync(host, History("Hi")));

        Assert.Equal("Groq rejected the API key (invalid_api_key). Check GROQ_API_KEY in .env or the environment.", error.Message);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, host.Emulator.Accounting.Unauthorized);
    }

    [Theory]
    [InlineData("htp:/api.groq.com", "Groq:BaseUrl (GROQ_BASE_URL) 'htp:/api.groq.com' is not an absolute http(s) URL. Use e.g. https://api.groq.com/openai/v1.")]
    [InlineData("not a url", "Groq:BaseUrl (GROQ_BASE_URL) 'not a url' is not an absolute http(s) URL. Use e.g. https://api.groq.com/openai/v1.")]
    public async Task MalformedBaseUrl_FailsAtStartWithTheSettingAndAnExample(string baseUrl, string message)
    {
        await using PipelineHost host = await PipelineHost.StartAsync(groq: o => o.BaseUrl = baseUrl);

        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => host.Chat);

        Assert.Equal(message, error.Message);
        Assert.Equal(0, host.Emulator.Accounting.RequestsReceived);
    }

    [Fact]
    public async Task ServerAnswersHtml_IsRetried_ThenNamesTheHtmlPageAndTheUrl()
    {
        await using PipelineHost host = await PipelineHost.StartAsync(groq: o => o.Resilience.BaseDelay = TimeSpan.Zero);
        host.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.HtmlErrorPage));

        GroqServerException error = await Assert.ThrowsAsync<GroqServerException>(() => AskAsync(host, History("Hi")));

        Assert.Equal(
            $"The server at POST {Endpoint(host)} failed with 502 and sent an HTML page instead of Groq's JSON error. Try again shortly; if it persists, check GROQ_BASE_URL and https://groqstatus.com.",
            error.Message);
        Assert.Equal(3, host.Emulator.Accounting.Totals().Requests);
    }

    [Fact]
    public async Task Status200WithPlainText_PointsAtTheBaseUrl()
    {
        await using PipelineHost host = await StubbedAsync(new StubHttpHandler().Reply(HttpStatusCode.OK, "Hello, I am not JSON", "text/plain"));

        GroqInvalidResponseException error = await Assert.ThrowsAsync<GroqInvalidResponseException>(() => AskAsync(host, History("Hi")));

        Assert.Equal(
            $"The server at {Endpoint(host)} answered 200 with a 'text/plain' body instead of Groq's chat completion API. Check GROQ_BASE_URL: it should be https://api.groq.com/openai/v1 (or the emulator's address), not a web page or a proxy's login page.",
            error.Message);
    }

    [Theory]
    [InlineData("Hello, I am not JSON")]
    [InlineData("""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"llama-3.1-8b-instant","choices":[{"index":0,"message":{"role":"assistant","content":"Par""")]
    public async Task Status200WithJsonThatIsNotJsonOrIsCutOff_IsAnInvalidResponse(string body)
    {
        await using PipelineHost host = await StubbedAsync(new StubHttpHandler().Reply(HttpStatusCode.OK, body));
        using GroqRequestScope scope = GroqRequestContext.Begin(new GroqRequestOptions());

        GroqInvalidResponseException error = await Assert.ThrowsAsync<GroqInvalidResponseException>(() => AskAsync(host, History("Hi")));

        Assert.Equal($"The server at {Endpoint(host)} {NotAChatCompletion}", error.Message);
        UsageRecord record = Assert.Single(scope.Records);
        Assert.NotEqual(UsageOutcome.Ok, record.Outcome);
    }

    [Fact]
    public async Task StreamWithoutDone_IsCutOff_WithThePartialText()
    {
        const string Chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"llama-3.1-8b-instant\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n";
        await using PipelineHost host = await StubbedAsync(new StubHttpHandler().Reply(HttpStatusCode.OK, Chunk, "text/event-stream"));
        var received = new List<string>();

        GroqStreamInterruptedException error = await Assert.ThrowsAsync<GroqStreamInterruptedException>(async () =>
        {
            await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(History("Hi"), cancellationToken: Ct))
            {
                received.Add(update.Content ?? string.Empty);
            }
        });

        Assert.Equal("Groq's stream for model 'llama-3.1-8b-instant' ended without its closing 'data: [DONE]': the answer was cut off after 3 characters of text. Ask again.", error.Message);
        Assert.Equal("Hel", error.PartialText);
        Assert.Equal("Hel", string.Concat(received));
    }

    private static ChatHistory History(string prompt)
    {
        var history = new ChatHistory();
        history.AddUserMessage(prompt);
        return history;
    }

    private static async Task AskAsync(PipelineHost host, ChatHistory history, OpenAIPromptExecutionSettings? settings = null, bool stream = false)
    {
        if (stream)
        {
            await foreach (StreamingChatMessageContent update in host.Chat.GetStreamingChatMessageContentsAsync(history, settings, cancellationToken: Ct))
            {
                _ = update.Content;
            }
        }
        else
        {
            await host.Chat.GetChatMessageContentAsync(history, settings, cancellationToken: Ct);
        }
    }

    private static Task<PipelineHost> StubbedAsync(StubHttpHandler stub)
        => PipelineHost.StartAsync(services: s => s.AddHttpClient(GroqDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub));

    private static string Endpoint(PipelineHost host) => host.Emulator.BaseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions";
}
