using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkGroq.Configuration;
using SkGroq.Console.Hosting;
using SkGroq.Emulator;
using SkGroq.Http;
using SkGroq.Models;

namespace SkGroq.Console.Bench;

/// <summary>
/// The server a benchmark runs against and the client it sends through. The server is an in-process emulator started for
/// the run, or the server at a configured base URL other than Groq's (a standalone emulator); benchmarks never load
/// <c>api.groq.com</c>. The client is Semantic Kernel through the full SkGroq pipeline, built from the session's
/// configuration with usage persistence off and rate limits that never bind, or Semantic Kernel with a plain HttpClient.
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    /// <summary>A rate limit high enough never to bind: benchmarks measure overhead, not the limiter.</summary>
    private const long Unbounded = 1_000_000_000_000_000;

    private readonly GroqEmulator? _emulator;
    private readonly ServiceProvider? _services;
    private readonly HttpClient? _plainHttp;
    private readonly GroqConnectionStats? _plainConnections;

    private BenchTarget(Uri baseUrl, GroqEmulator? emulator, IChatCompletionService chat, ServiceProvider? services, HttpClient? plainHttp, GroqConnectionStats? plainConnections)
    {
        BaseUrl = baseUrl;
        _emulator = emulator;
        Chat = chat;
        _services = services;
        _plainHttp = plainHttp;
        _plainConnections = plainConnections;
    }

    /// <summary>Gets the server's OpenAI-compatible base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets the in-process emulator, when the run started one.</summary>
    public GroqEmulator? Emulator => _emulator;

    /// <summary>Gets the chat completion service the load goes through.</summary>
    public IChatCompletionService Chat { get; }

    /// <summary>Gets the connections the client opened so far.</summary>
    public long ConnectionsOpened => _services?.GetRequiredService<GroqConnectionStats>().ConnectionsOpened ?? _plainConnections?.ConnectionsOpened ?? 0;

    /// <summary>Starts the server (unless an external one is configured) and builds the client.</summary>
    /// <param name="session">The command's session (configuration, logging, <c>--emulator</c>).</param>
    /// <param name="client">What to send through.</param>
    /// <param name="model">The model the load uses (its limits are lifted).</param>
    /// <param name="forceEmulator">Use the in-process emulator even when an external base URL is configured.</param>
    /// <param name="configureEmulator">Settings of the in-process emulator (pacing, faults…).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The target; dispose it to stop the emulator and the client.</returns>
    public static async Task<BenchTarget> StartAsync(
        HarnessSession session,
        LoadClient client,
        string model,
        bool forceEmulator,
        Action<GroqEmulatorOptions> configureEmulator,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(configureEmulator);
        GroqEmulator? emulator = null;
        Uri baseUrl = session.BaseUrl;
        string? apiKey = session.Options.ApiKey is { Length: > 0 } key && key != HarnessSession.OfflineApiKey ? key : null;
        if (forceEmulator || IsGroq(baseUrl))
        {
            var options = new GroqEmulatorOptions();
            options.Limits[model] = new ModelLimits(Unbounded, Unbounded, Unbounded, Unbounded);
            configureEmulator(options);
            emulator = await GroqEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
            baseUrl = emulator.BaseUrl;
            apiKey = emulator.ApiKey;
        }

        // A standalone emulator accepts its well-known key unless told otherwise.
        apiKey ??= GroqEmulatorDefaults.ApiKey;
        try
        {
            if (client == LoadClient.Plain)
            {
                // As a user would write it (the endpoint comes from the HttpClient's base address), connecting like the groq client.
                var counter = new GroqConnectionStats(session.Get<TimeProvider>());
                var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = GroqDefaults.PooledConnectionLifetime, ConnectCallback = counter.ConnectAsync }) { BaseAddress = baseUrl };
                var plain = new OpenAIChatCompletionService(model, apiKey, httpClient: http);
                return new BenchTarget(baseUrl, emulator, plain, null, http, counter);
            }

            ServiceProvider services = BuildPipeline(session, baseUrl, apiKey, model);
            try
            {
                // Options are validated here (there is no host to validate them on start).
                _ = services.GetRequiredService<IOptions<GroqOptions>>().Value;
                return new BenchTarget(baseUrl, emulator, services.GetRequiredService<IChatCompletionService>(), services, null, null);
            }
            catch
            {
                await services.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }

        _plainHttp?.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static bool IsGroq(Uri baseUrl) => baseUrl.Host.Equals("api.groq.com", StringComparison.OrdinalIgnoreCase);

    private static ServiceProvider BuildPipeline(HarnessSession session, Uri baseUrl, string apiKey, string model)
    {
        string limit = Unbounded.ToString(CultureInfo.InvariantCulture);
        IConfiguration configuration = new ConfigurationBuilder()
            .AddConfiguration(session.Get<IConfiguration>())
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Groq:ApiKey"] = apiKey,
                ["Groq:BaseUrl"] = baseUrl.AbsoluteUri,
                ["Groq:Model"] = model,

                // Thousands of benchmark requests must not land in the user's usage ledger.
                ["Groq:Usage:Persist"] = "false",
                [$"Groq:Models:{model}:RequestsPerMinute"] = limit,
                [$"Groq:Models:{model}:RequestsPerDay"] = limit,
                [$"Groq:Models:{model}:TokensPerMinute"] = limit,
                [$"Groq:Models:{model}:TokensPerDay"] = limit,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton(session.Get<ILoggerFactory>()));
        services.AddGroq();
        return services.BuildServiceProvider();
    }
}
