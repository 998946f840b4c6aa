using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Emulator;
using SkGroq.Http;
using SkGroq.Models;

namespace SkGroq.Benchmarks.Pipeline;

/// <summary>
/// One in-process emulator with zero latency (no time to first token, no pacing) and the four clients compared against it:
/// (a) Semantic Kernel through the full SkGroq pipeline, (b) Semantic Kernel's OpenAI connector with a plain HttpClient,
/// (c) the <c>groq</c> HttpClient alone (raw HTTP through the pipeline), (d) a bare HttpClient.
/// </summary>
/// <remarks>
/// Fair by construction: the raw rows send the exact bytes Semantic Kernel serialized (captured once), every client has
/// one pooled <see cref="SocketsHttpHandler"/> (five-minute connection lifetime, no decompression, the same TCP
/// connect with no Nagle), connections are opened before measuring, the request is not deterministic (temperature 0.7,
/// so the response cache, which is on as by default, lets it through), rate limits are set far above anything the run
/// reaches on both sides, and usage is not persisted.
/// </remarks>
internal sealed class PipelineFixture : IAsyncDisposable
{
    /// <summary>The model every request names.</summary>
    public const string Model = "llama-3.1-8b-instant";

    private const string SystemMessage = "You are a concise assistant for an internal engineering knowledge base. Answer in plain English.";
    private const string UserMessage = "How does a token bucket rate limiter decide whether a request may go now?";

    /// <summary>Rate limits that never bind: the benchmarks measure overhead, not the limiter.</summary>
    public const long Unbounded = 1_000_000_000_000_000;

    private readonly ServiceProvider _services;
    private readonly ServiceProvider _standardServices;
    private readonly HttpClient _skPlainHttp;
    private readonly ReplayServer? _replay;

    private PipelineFixture(GroqEmulator emulator, ReplayServer? replay, Uri baseUrl, ServiceProvider services, HttpClient skPlainHttp, PlainConnections skPlainConnections, HttpClient bare, PlainConnections bareConnections)
    {
        Emulator = emulator;
        _replay = replay;
        BaseUrl = baseUrl;
        _services = services;
        _skPlainHttp = skPlainHttp;
        SkPlainConnections = skPlainConnections;
        Bare = bare;
        BareConnections = bareConnections;
        SkGroq = services.GetRequiredService<IChatCompletionService>();
        GroqHttp = services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);
        GroqConnections = services.GetRequiredService<GroqConnectionStats>();
        SkPlain = new OpenAIChatCompletionService(Model, emulator.ApiKey, httpClient: skPlainHttp);
        (_standardServices, SkStandard) = BuildStandard(baseUrl, emulator.ApiKey, StandardConnections);
        ChatEndpoint = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions");
        History = CreateHistory();
    }

    /// <summary>Gets the emulator.</summary>
    public GroqEmulator Emulator { get; }

    /// <summary>Gets (a): Semantic Kernel through the full SkGroq pipeline, as <c>AddGroq</c> registers it.</summary>
    public IChatCompletionService SkGroq { get; }

    /// <summary>Gets the base URL every client sends to: the emulator's, or the replay server's.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the peer a .NET user assembles: Semantic Kernel with an HttpClient carrying <c>AddStandardResilienceHandler()</c>.</summary>
    public IChatCompletionService SkStandard { get; }

    /// <summary>Gets the connections the standard-resilience peer opened.</summary>
    public PlainConnections StandardConnections { get; } = new();

    /// <summary>Gets (b): Semantic Kernel's OpenAI connector with a plain HttpClient.</summary>
    public IChatCompletionService SkPlain { get; }

    /// <summary>Gets (c): the <c>groq</c> HttpClient (the pipeline, no Semantic Kernel).</summary>
    public HttpClient GroqHttp { get; }

    /// <summary>Gets (d): a bare HttpClient.</summary>
    public HttpClient Bare { get; }

    /// <summary>Gets the connections the <c>groq</c> client opened.</summary>
    public GroqConnectionStats GroqConnections { get; }

    /// <summary>Gets the connections (b) opened.</summary>
    public PlainConnections SkPlainConnections { get; }

    /// <summary>Gets the connections (d) opened.</summary>
    public PlainConnections BareConnections { get; }

    /// <summary>Gets the chat endpoint's absolute URL.</summary>
    public Uri ChatEndpoint { get; }

    /// <summary>Gets the conversation every request sends (a system and a user message).</summary>
    public ChatHistory History { get; }

    /// <summary>Gets the execution settings of every request.</summary>
    public OpenAIPromptExecutionSettings Settings { get; } = CreateSettings();

    /// <summary>Gets the non-streaming request body exactly as Semantic Kernel serialized it.</summary>
    public byte[] JsonBody { get; private set; } = [];

    /// <summary>Gets the streaming request body exactly as Semantic Kernel serialized it.</summary>
    public byte[] StreamBody { get; private set; } = [];

    /// <summary>Starts the emulator, builds the clients, captures the bodies and opens each client's connection.</summary>
    /// <param name="configure">Changes to the SkGroq options (e.g. one handler switched off, to see what it costs).</param>
    /// <param name="replay">
    /// Send to a <see cref="ReplayServer"/> answering with the emulator's recorded responses instead of to the emulator, so
    /// that the server's own cost per request is as small as possible.
    /// </param>
    /// <returns>The fixture.</returns>
    public static async Task<PipelineFixture> StartAsync(Action<GroqOptions>? configure = null, bool replay = false)
    {
        var options = new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
        options.Limits[Model] = new ModelLimits(Unbounded, Unbounded, Unbounded, Unbounded);
        GroqEmulator emulator = await GroqEmulator.StartAsync(options);

        ReplayServer? server = null;
        if (replay)
        {
            (byte[] json, byte[] stream) = await CaptureBodiesAsync(emulator.BaseUrl, emulator.ApiKey);
            using HttpClient recorder = CreateBare(emulator, new PlainConnections());
            Uri endpoint = new(emulator.BaseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions");
            server = await ReplayServer.StartAsync(await RecordedExchange.RecordAsync(recorder, endpoint, json), await RecordedExchange.RecordAsync(recorder, endpoint, stream));
        }

        Uri baseUrl = server?.BaseUrl ?? emulator.BaseUrl;
        var skPlainConnections = new PlainConnections();
        var skPlainHttp = new HttpClient(skPlainConnections.CreateHandler()) { BaseAddress = baseUrl };
        var bareConnections = new PlainConnections();
        HttpClient bare = CreateBare(emulator.ApiKey, bareConnections);

        var fixture = new PipelineFixture(emulator, server, baseUrl, BuildPipeline(baseUrl, emulator.ApiKey, configure), skPlainHttp, skPlainConnections, bare, bareConnections);
        (fixture.JsonBody, fixture.StreamBody) = await CaptureBodiesAsync(baseUrl, emulator.ApiKey);
        return fixture;
    }

    /// <summary>Registers SkGroq as an application would (<c>AddGroq</c>), pointed at the emulator, usage not persisted, limits lifted.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <param name="configure">Further changes to the options.</param>
    /// <returns>A new service provider: its own <c>groq</c> client and connection pool.</returns>
    public static ServiceProvider BuildPipeline(GroqEmulator emulator, Action<GroqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return BuildPipeline(emulator.BaseUrl, emulator.ApiKey, configure);
    }

    private static ServiceProvider BuildPipeline(Uri baseUrl, string apiKey, Action<GroqOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGroq(o =>
        {
            o.ApiKey = apiKey;
            o.BaseUrl = baseUrl.AbsoluteUri;
            o.Model = Model;
            o.Usage.Persist = false;
            o.Models[Model] = new ModelOverride { RequestsPerMinute = Unbounded, RequestsPerDay = Unbounded, TokensPerMinute = Unbounded, TokensPerDay = Unbounded };
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Creates a bare HttpClient with the headers the <c>groq</c> client sends by default (key, User-Agent).</summary>
    /// <param name="emulator">The emulator.</param>
    /// <param name="connections">Counts its connections.</param>
    /// <returns>The client.</returns>
    public static HttpClient CreateBare(GroqEmulator emulator, PlainConnections connections)
    {
        ArgumentNullException.ThrowIfNull(emulator);
        return CreateBare(emulator.ApiKey, connections);
    }

    private static HttpClient CreateBare(string apiKey, PlainConnections connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var bare = new HttpClient(connections.CreateHandler());
        bare.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        bare.DefaultRequestHeaders.UserAgent.ParseAdd(GroqDefaults.UserAgent);
        return bare;
    }

    /// <summary>Creates a raw chat completion request with <paramref name="body"/>.</summary>
    /// <param name="body">The JSON body.</param>
    /// <returns>The request.</returns>
    public HttpRequestMessage Request(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, ChatEndpoint) { Content = content };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Bare.Dispose();
        _skPlainHttp.Dispose();
        await _services.DisposeAsync();
        await _standardServices.DisposeAsync();
        if (_replay is not null)
        {
            await _replay.DisposeAsync();
        }

        await Emulator.DisposeAsync();
    }

    // Not deterministic (temperature 0.7), so the response cache, on as by default, lets every request through.
    private static OpenAIPromptExecutionSettings CreateSettings() => new() { ModelId = Model, MaxTokens = 256, Temperature = 0.7 };

    private static ChatHistory CreateHistory()
    {
        ChatHistory history = [];
        history.AddSystemMessage(SystemMessage);
        history.AddUserMessage(UserMessage);
        return history;
    }

    private static (ServiceProvider Services, IChatCompletionService Chat) BuildStandard(Uri baseUrl, string apiKey, PlainConnections connections)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("standard", client => client.BaseAddress = baseUrl)
            .ConfigurePrimaryHttpMessageHandler(connections.CreateHandler)
            .AddStandardResilienceHandler();
        ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("standard");
        return (provider, new OpenAIChatCompletionService(Model, apiKey, httpClient: http));
    }

    private static async Task<(byte[] Json, byte[] Stream)> CaptureBodiesAsync(Uri baseUrl, string apiKey)
    {
        var capture = new CapturingHandler { InnerHandler = new SocketsHttpHandler() };
        using (var http = new HttpClient(capture) { BaseAddress = baseUrl })
        {
            var sk = new OpenAIChatCompletionService(Model, apiKey, httpClient: http);
            ChatHistory history = CreateHistory();
            OpenAIPromptExecutionSettings settings = CreateSettings();
            await sk.GetChatMessageContentAsync(history, settings);
            await foreach (StreamingChatMessageContent update in sk.GetStreamingChatMessageContentsAsync(history, settings))
            {
                _ = update;
            }
        }

        return (capture.Bodies[0], capture.Bodies[1]);
    }

    /// <summary>Records each request body and sends an identical copy on.</summary>
    private sealed class CapturingHandler : DelegatingHandler
    {
        public List<byte[]> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[] body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            Bodies.Add(body);
            var copy = new ByteArrayContent(body);
            foreach (KeyValuePair<string, IEnumerable<string>> header in request.Content.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            request.Content = copy;
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
