using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.ChatCompletion;
using OpenAI;
using SkGroq.Caching;
using SkGroq.Configuration;
using SkGroq.Conversations;
using SkGroq.Http;
using SkGroq.Inspection;
using SkGroq.Models;
using SkGroq.RateLimiting;
using SkGroq.Resilience;
using SkGroq.SemanticKernel;

#pragma warning disable IDE0130 // Registration extensions live in Microsoft.Extensions.DependencyInjection, by .NET convention.

using SkGroq.Usage.Tracking;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SkGroq: options, the <c>groq</c> HttpClient pipeline and Semantic Kernel's chat completion on Groq.</summary>
public static partial class GroqServiceCollectionExtensions
{
    /// <summary>Registers SkGroq with settings bound from the <c>Groq</c> section of the application's configuration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes applied after binding, e.g. in tests.</param>
    /// <returns>A builder for further configuration.</returns>
    /// <remarks>
    /// The <c>groq</c> HttpClient's handlers, outermost first (see <see cref="GroqPipeline"/>):
    /// usage tracking → response cache → resilience (retries and model fallback, the only layer that retries) → rate limiting →
    /// response inspection → pooled <see cref="SocketsHttpHandler"/>. Semantic Kernel's OpenAI connector sends through that
    /// client with the OpenAI SDK's own retries off and its network timeout infinite: timeouts belong to the pipeline.
    /// Every registration uses <c>TryAdd</c>, so a service registered earlier wins.
    /// </remarks>
    public static IGroqBuilder AddGroq(this IServiceCollection services, Action<GroqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        // Bound from the application's configuration when there is one (a host); plain service collections work too.
        OptionsBuilder<GroqOptions> options = services.AddOptions<GroqOptions>()
            .Configure<IServiceProvider>(static (o, sp) =>
            {
                if (sp.GetService<IConfiguration>() is { } configuration)
                {
                    o.SettingFailures.AddRange(GroqSettingsBinder.Bind(configuration, o));
                }
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GroqOptions>, GroqOptionsDataAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GroqOptions>, GroqOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GroqOptions>, ResponseCachingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GroqOptions>, RateLimitingOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GroqOptions>, GroqResilienceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GroqOptions>, RedisOptionsValidator>());

        // Each feature sees only its own section; the pipeline's shared settings are built once.
        AddSection(services, static o => o.Inspection);
        AddSection(services, static o => o.RateLimiting);
        AddSection(services, static o => o.Resilience);
        AddSection(services, static o => o.Cache);
        AddSection(services, static o => o.Usage);
        AddSection(services, static o => o.Tokens);
        AddSection(services, static o => o.Redis);
        AddSection(services, static o => o.Conversations);
        services.TryAddSingleton(static sp => sp.GetRequiredService<IOptions<GroqOptions>>().Value.ToPipelineSettings());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp =>
        {
            GroqOptions groq = sp.GetRequiredService<IOptions<GroqOptions>>().Value;
            return new ModelCatalog(groq.Tier, groq.Models);
        });
        services.TryAddSingleton(static sp => new GroqConnectionStats(sp.GetRequiredService<TimeProvider>()));
        services.AddGroqTokens();

        // Before the rate limiter, whose in-memory quota store is the default when Redis is not configured.
        services.AddGroqRedis();

        IHttpClientBuilder http = services.AddHttpClient(GroqDefaults.HttpClientName)
            .ConfigureHttpClient(static (sp, client) => ConfigureClient(sp.GetRequiredService<IOptions<GroqOptions>>().Value, client))
            .ConfigurePrimaryHttpMessageHandler(static sp => CreatePrimaryHandler(
                sp.GetRequiredService<IOptions<GroqOptions>>().Value,
                sp.GetRequiredService<GroqConnectionStats>()))

            // SocketsHttpHandler replaces pooled connections itself (PooledConnectionLifetime), so the factory need not
            // rotate handler chains — and the chain's handlers keep their state in singletons anyway.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The factory's default logging handlers would log every URI at Information; the pipeline logs what matters itself.
            .RemoveAllLoggers();

        // Handlers, outermost first (GroqPipeline.HandlerOrder): usage tracking first, response inspection last.
        http.AddGroqUsageTracking();
        http.AddGroqResponseCaching();
        http.AddGroqResilience();
        http.AddGroqRateLimiting();
        http.AddGroqResponseInspection();

        services.TryAddKeyedSingleton(GroqDefaults.HttpClientName, static (sp, _) => CreateOpenAIClient(sp));
        services.TryAddSingleton(static sp => new GroqChatCompletionService(
            sp.GetRequiredKeyedService<OpenAIClient>(GroqDefaults.HttpClientName),
            sp.GetRequiredService<IOptions<GroqOptions>>().Value.Model,
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IChatCompletionService>(static sp => sp.GetRequiredService<GroqChatCompletionService>());
        services.TryAddSingleton<GroqConversationFactory>();

        return new GroqBuilder(services, http);
    }

    private static void AddSection<TOptions>(IServiceCollection services, Func<GroqOptions, TOptions> section)
        where TOptions : class
        => services.TryAddSingleton<IOptions<TOptions>>(sp => Microsoft.Extensions.Options.Options.Create(section(sp.GetRequiredService<IOptions<GroqOptions>>().Value)));

    private static void ConfigureClient(GroqOptions options, HttpClient client)
    {
        // Trailing slash: relative URIs such as "models" resolve under the endpoint, not beside it.
        client.BaseAddress = new Uri(GroqBaseUrl.Normalize(options.BaseUrl).AbsoluteUri.TrimEnd('/') + "/");

        // Timeouts belong to the pipeline (attempt timeout, stream watchdog, request deadline); HttpClient's own would cut streams.
        client.Timeout = Timeout.InfiniteTimeSpan;
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey.Trim());
        }
    }

    private static SocketsHttpHandler CreatePrimaryHandler(GroqOptions options, GroqConnectionStats stats) => new()
    {
        PooledConnectionLifetime = GroqDefaults.PooledConnectionLifetime,
        ConnectTimeout = options.ConnectTimeout,

        // No Accept-Encoding (HttpClient's default): answers are a few KB, a stream's chunks must not wait on a
        // compressor, and every request would carry the header's parsed values (five objects) for as long as its stream is open.
        AutomaticDecompression = DecompressionMethods.None,
        EnableMultipleHttp2Connections = true,

        // Groq's reset headers are Go durations, which use 'µs' below a millisecond (UTF-8 on the wire); Latin-1 would garble it.
        ResponseHeaderEncodingSelector = static (_, _) => Encoding.UTF8,

        // The default connect, timed: test-connection reports connect time apart from round trips, and benchmarks prove reuse.
        ConnectCallback = stats.ConnectAsync,
    };

    private static OpenAIClient CreateOpenAIClient(IServiceProvider services)
    {
        GroqOptions options = services.GetRequiredService<IOptions<GroqOptions>>().Value;
        HttpClient httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = GroqBaseUrl.Normalize(options.BaseUrl),
            Transport = new HttpClientPipelineTransport(httpClient),

            // Exactly one layer retries: the pipeline's. The SDK's retry policy and network timeout are switched off.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            UserAgentApplicationId = "SkGroq",
        };

        // Validation (ValidateOnStart) reports a missing key with its fix; this placeholder only lets the graph build first.
        return new OpenAIClient(new ApiKeyCredential(string.IsNullOrWhiteSpace(options.ApiKey) ? "missing" : options.ApiKey.Trim()), clientOptions);
    }
}
