using System.ClientModel;
using System.ComponentModel;
using System.Net;
using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using OpenAI.Chat;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;
using ChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;

namespace SkGroq.Tests.Emulator;

/// <summary>
/// The OpenAI .NET SDK, through a plain Semantic Kernel <see cref="OpenAIChatCompletionService"/> and a plain HttpClient
/// (not the SkGroq pipeline), parses every kind of answer the emulator sends.
/// </summary>
public sealed class SemanticKernelConformanceTests
{
    private const string Model = "llama-3.3-70b-versatile";

    [Fact]
    public async Task Json_IsParsedWithUsageAndFinishReason()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris."));
        using var http = new HttpClient();
        OpenAIChatCompletionService service = Service(groq, http);

        ChatMessageContent answer = await service.GetChatMessageContentAsync("What is the capital of France?", new OpenAIPromptExecutionSettings { MaxTokens = 100 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("The capital of France is Paris.", answer.Content);
        Assert.Equal(Model, answer.ModelId);
        var completion = Assert.IsType<ChatCompletion>(answer.InnerContent);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.Equal(30 + 5 + 7, completion.Usage.InputTokenCount);
        Assert.Equal(groq.Emulator.Accounting.Get(groq.Key, Model).PromptTokens, completion.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Stream_IsParsedWithUsage()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris."));
        using var http = new HttpClient();
        OpenAIChatCompletionService service = Service(groq, http);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (StreamingChatMessageContent update in service.GetStreamingChatMessageContentsAsync("What is the capital of France?", cancellationToken: TestContext.Current.CancellationToken))
        {
            text.Append(update.Content);
            var inner = (StreamingChatCompletionUpdate)update.InnerContent!;
            usage ??= inner.Usage;
            finish ??= inner.FinishReason;
        }

        Assert.Equal("The capital of France is Paris.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(8, usage.OutputTokenCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolCalls_AreInvokedAndTheAnswerUsesTheResult(bool streaming)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.When(r => r.HasTools && !r.HasToolResults, ScriptedReply.ToolCall("Weather-Get", "{\"city\":\"Paris\"}"));
        groq.Emulator.Script.When(r => r.HasToolResults, ScriptedReply.Text("It is sunny in Paris."));
        using var http = new HttpClient();
        Kernel kernel = Kernel.CreateBuilder().Build();
        var weather = new WeatherPlugin();
        kernel.Plugins.AddFromObject(weather, "Weather");
        OpenAIChatCompletionService service = Service(groq, http);
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var history = new ChatHistory("You are a weather bot.");
        history.AddUserMessage("What is the weather in Paris?");

        string answer;
        if (streaming)
        {
            var text = new StringBuilder();
            await foreach (StreamingChatMessageContent update in service.GetStreamingChatMessageContentsAsync(history, settings, kernel, TestContext.Current.CancellationToken))
            {
                text.Append(update.Content);
            }

            answer = text.ToString();
        }
        else
        {
            answer = (await service.GetChatMessageContentAsync(history, settings, kernel, TestContext.Current.CancellationToken)).Content!;
        }

        Assert.Equal("It is sunny in Paris.", answer);
        Assert.Equal(["Paris"], weather.Cities);
        Assert.Equal(2, groq.Emulator.Accounting.Get(groq.Key, Model).Succeeded);
    }

    [Theory]
    [InlineData(null, "gsk_wrong_key", HttpStatusCode.Unauthorized)]
    [InlineData("503", null, HttpStatusCode.ServiceUnavailable)]
    [InlineData("500", null, HttpStatusCode.InternalServerError)]
    [InlineData("502", null, HttpStatusCode.BadGateway)]
    [InlineData("498", null, (HttpStatusCode)498)]
    [InlineData("429", null, HttpStatusCode.TooManyRequests)]
    [InlineData("html", null, HttpStatusCode.BadGateway)]
    public async Task ErrorStatuses_SurfaceAsHttpOperationExceptionWithTheStatus(string? fault, string? key, HttpStatusCode status)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        if (fault is not null)
        {
            groq.Emulator.Faults.Always(EmulatorFault.Parse(fault));
        }

        using var http = new HttpClient();
#pragma warning disable SKEXP0010 // The endpoint constructor is what a plain user pointing SK at Groq calls.
        var service = new OpenAIChatCompletionService(Model, groq.Emulator.BaseUrl, key ?? groq.Key, httpClient: http);
#pragma warning restore SKEXP0010

        HttpOperationException error = await Assert.ThrowsAsync<HttpOperationException>(() => service.GetChatMessageContentAsync("Hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(status, error.StatusCode);
        Assert.IsType<ClientResultException>(error.InnerException);
    }

    [Fact]
    public async Task RateLimit429_CarriesGroqsMessage()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Limits[Model] = new SkGroq.Models.ModelLimits(1, null, null, null));
        using var http = new HttpClient();
        OpenAIChatCompletionService service = Service(groq, http);
        await service.GetChatMessageContentAsync("Hi", cancellationToken: TestContext.Current.CancellationToken);

        HttpOperationException error = await Assert.ThrowsAsync<HttpOperationException>(() => service.GetChatMessageContentAsync("Hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("on requests per minute (RPM): Limit 1, Used 1, Requested 1", error.ResponseContent ?? error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MidStreamErrorEvent_PlainSdkEndsTheStreamSilentlyWithoutAFinishReason()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three four"));
        groq.Emulator.Faults.Always(EmulatorFault.Parse("error-event;after=2;status=503"));
        using var http = new HttpClient();
        OpenAIChatCompletionService service = Service(groq, http);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        Exception? failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (StreamingChatMessageContent update in service.GetStreamingChatMessageContentsAsync("Count", cancellationToken: TestContext.Current.CancellationToken))
            {
                text.Append(update.Content);
                finish ??= ((StreamingChatCompletionUpdate)update.InnerContent!).FinishReason;
            }
        });

        // The plain SDK does not recognise Groq's error frame (SkGroq's inspection handler does): it reads the frame as an empty
        // update and the stream simply ends, short and without a finish reason, and without an exception. Pinned here because
        // it is why SkGroq must detect these frames itself.
        Assert.Equal("one two", text.ToString());
        Assert.Null(finish);
        Assert.Null(failure);
    }

    private static OpenAIChatCompletionService Service(TestEmulator groq, HttpClient http)
    {
#pragma warning disable SKEXP0010 // The endpoint constructor is what a plain user pointing SK at Groq calls.
        return new OpenAIChatCompletionService(Model, groq.Emulator.BaseUrl, groq.Key, httpClient: http);
#pragma warning restore SKEXP0010
    }

    private sealed class WeatherPlugin
    {
        public List<string> Cities { get; } = [];

        [KernelFunction("Get")]
        [Description("Gets the weather of a city.")]
        public string Get([Description("The city.")] string city)
        {
            Cities.Add(city);
            return "sunny, 24 °C";
        }
    }
}
