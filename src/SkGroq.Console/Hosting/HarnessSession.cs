using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkGroq.Configuration;
using SkGroq.Console.Output;
using SkGroq.Hosting;

namespace SkGroq.Console.Hosting;

/// <summary>
/// One command's host: configuration in the documented order (appsettings.json, user secrets, .env, environment, command line),
/// the built-in emulator when no key is configured, SkGroq and Semantic Kernel registered, the host started (options validated).
/// </summary>
internal sealed class HarnessSession : IAsyncDisposable
{
    /// <summary>The key an offline command's session gets when none is configured (it sends nothing, but the options must validate).</summary>
    public const string OfflineApiKey = "offline-command-sends-nothing";

    private readonly IHost _host;
    private readonly EmbeddedEmulator? _emulator;

    private HarnessSession(IHost host, EmbeddedEmulator? emulator, GroqOptions options)
    {
        _host = host;
        _emulator = emulator;
        Options = options;
        BaseUrl = GroqBaseUrl.Normalize(options.BaseUrl);
    }

    public IServiceProvider Services => _host.Services;

    public GroqOptions Options { get; }

    public Uri BaseUrl { get; }

    public bool UsingEmulator => _emulator is not null;

    public static async Task<HarnessSession> StartAsync(ParseResult parse, HarnessOutput output, bool needsServer, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationManager();
        configuration.SetBasePath(AppContext.BaseDirectory);
        configuration.AddJsonFile("appsettings.json", optional: true, reloadOnChange: false);
        HarnessEnvironment environment = HarnessEnvironment.Current;
        if (!environment.Isolated)
        {
            configuration.AddGroqSources(typeof(HarnessSession).Assembly, dotEnvPath: ".env");
        }
        else if (environment.DotEnvPath is { } dotEnv)
        {
            ((IConfigurationBuilder)configuration).Add(new DotEnvConfigurationSource(dotEnv));
        }

        configuration.AddInMemoryCollection(environment.Configuration);

        var overrides = new Dictionary<string, string?>();
        if (parse.GetValue(GlobalOptions.BaseUrl) is { Length: > 0 } baseUrl)
        {
            overrides["Groq:BaseUrl"] = baseUrl;
        }

        if (parse.GetValue(GlobalOptions.Model) is { Length: > 0 } model)
        {
            overrides["Groq:Model"] = model;
        }

        EmbeddedEmulator? emulator = null;
        bool keyConfigured = !string.IsNullOrWhiteSpace(configuration["Groq:ApiKey"]);
        IReadOnlyList<SkGroq.Emulator.Faults.EmulatorFaultRule> faults = EmbeddedEmulator.ParseFaults(parse.GetValue(GlobalOptions.EmulatorFault));
        if (needsServer && (faults.Count > 0 || UseEmulator(parse, configuration, overrides)))
        {
            EmbeddedEmulator started = await EmbeddedEmulator.StartAsync(faults, cancellationToken);
            emulator = started;
            overrides["Groq:ApiKey"] = started.ApiKey;
            overrides["Groq:BaseUrl"] = started.BaseUrl.AbsoluteUri;
        }

        if (!needsServer && string.IsNullOrWhiteSpace(configuration["Groq:ApiKey"]) && !overrides.ContainsKey("Groq:ApiKey"))
        {
            // Offline commands (token counts, plugin lists, usage reports) send nothing; a placeholder lets the host validate.
            overrides["Groq:ApiKey"] = OfflineApiKey;
        }

        configuration.AddInMemoryCollection(overrides);

        try
        {
            HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                DisableDefaults = true,
                ContentRootPath = AppContext.BaseDirectory,
                Configuration = configuration,
            });
            builder.Logging.ClearProviders();

            // Logs go to stderr so stdout carries only the answer (or the one JSON object). Without --verbose, retries and
            // fallbacks show as status lines and a failure as the command's one message: only SkGroq's own errors are logged
            // (a ledger that cannot be written), never a framework's or Semantic Kernel's repetition of the failure with its trace.
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            if (output.Verbose)
            {
                builder.Logging.SetMinimumLevel(LogLevel.Debug)
                    .AddFilter("Microsoft", LogLevel.Information)
                    .AddFilter("Polly", LogLevel.Information);
            }
            else
            {
                builder.Logging.AddFilter(static (category, level) => level >= LogLevel.Error && category?.StartsWith("SkGroq.", StringComparison.Ordinal) == true);
            }

            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Services.AddGroq();
            builder.Services.AddKernel();
            HarnessTracing.Add(builder.Services, parse.GetValue(GlobalOptions.Otel), output.Json);

            IHost host = builder.Build();
            await host.StartAsync(cancellationToken);
            GroqOptions options = host.Services.GetRequiredService<IOptions<GroqOptions>>().Value;
            await CheckLedgerAsync(host.Services, options, cancellationToken);
            if (emulator is not null)
            {
                // Said once the settings are known to be good, so a configuration error is not preceded by noise.
                output.Notice(EmulatorNotice(emulator.BaseUrl, faults, keyConfigured));
            }

            return new HarnessSession(host, emulator, options);
        }
        catch
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }

            throw;
        }
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public HttpClient CreateHttpClient() => Get<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5), TimeProvider.System);
        await _host.StopAsync(stopping.Token);
        _host.Dispose();
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>Opens the usage ledger's file before any request, so an unwritable path is a configuration error, not lost records.</summary>
    private static async Task CheckLedgerAsync(IServiceProvider services, GroqOptions options, CancellationToken cancellationToken)
    {
        if (!options.Usage.Enabled || !options.Usage.Persist)
        {
            return;
        }

        try
        {
            DateTimeOffset now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            await services.GetRequiredService<SkGroq.Usage.IUsageLedger>().QueryAsync(now, now, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            string path = options.Usage.EffectiveDatabasePath;
            throw new OptionsValidationException(GroqDefaults.SectionName, typeof(GroqOptions), [
                $"The usage ledger {path} cannot be opened ({ex.Message.TrimEnd('.')}). Point GROQ_USAGE_DB at a writable file, or set Groq__Usage__Persist=false."]);
        }
    }

    private static string EmulatorNotice(Uri baseUrl, IReadOnlyList<SkGroq.Emulator.Faults.EmulatorFaultRule> faults, bool keyConfigured)
    {
        string where = $"the built-in Groq emulator at {baseUrl}";
        if (faults.Count > 0)
        {
            return $"Answers come from {where} (synthetic), with injected faults: {string.Join(", ", faults)}.";
        }

        return keyConfigured
            ? $"--emulator: answers come from {where} and are synthetic; the configured GROQ_API_KEY is not used."
            : $"No GROQ_API_KEY configured: answers come from {where} and are synthetic. Put GROQ_API_KEY=gsk_… in .env or the environment to use the real API.";
    }

    private static bool UseEmulator(ParseResult parse, ConfigurationManager configuration, Dictionary<string, string?> overrides)
    {
        if (parse.GetValue(GlobalOptions.Emulator))
        {
            return true;
        }

        if (!string.IsNullOrWhiteSpace(configuration["Groq:ApiKey"]))
        {
            return false;
        }

        string? baseUrl = overrides.GetValueOrDefault("Groq:BaseUrl") ?? configuration["Groq:BaseUrl"];
        if (string.IsNullOrWhiteSpace(baseUrl) || GroqBaseUrl.TryNormalize(baseUrl, out Uri endpoint, out _) && endpoint.Host == "api.groq.com")
        {
            return true;
        }

        throw new HarnessUsageException($"GROQ_API_KEY is not set, but a base URL is ({baseUrl}). Put the server's key in GROQ_API_KEY (in .env or the environment); for a server that needs none, set GROQ_API_KEY to any value. Or pass --emulator.");
    }
}
