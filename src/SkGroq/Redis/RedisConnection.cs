using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace SkGroq.Redis;

/// <summary>
/// The process's one connection to Redis (a StackExchange.Redis multiplexer), shared by the quota store and the response cache.
/// Connects in the background on first use and never fails start-up: while Redis is unreachable, commands fail at once
/// (<see cref="BacklogPolicy.FailFast"/>) and StackExchange.Redis keeps reconnecting every <see cref="RedisOptions.ReconnectInterval"/>.
/// </summary>
internal sealed class RedisConnection : IDisposable, IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;
    private int _failed;

    /// <summary>Initializes a new instance of the <see cref="RedisConnection"/> class.</summary>
    /// <param name="options">The settings; <see cref="RedisOptions.ConnectionString"/> must be set.</param>
    /// <param name="logger">Receives connection failures and restorations.</param>
    public RedisConnection(RedisOptions options, ILogger<RedisConnection>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _configuration = CreateConfiguration(options);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Endpoint = Describe(_configuration);
    }

    /// <summary>Gets the endpoints, for messages (never the password).</summary>
    public string Endpoint { get; }

    /// <summary>Gets a value indicating whether a server is connected now (no I/O).</summary>
    public bool IsConnected => _connecting is { IsCompletedSuccessfully: true } connecting && connecting.Result.IsConnected;

    /// <summary>Builds the StackExchange.Redis settings: the connection string, then SkGroq's timeouts and failure behaviour.</summary>
    /// <param name="options">The settings.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static ConfigurationOptions CreateConfiguration(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            throw new ArgumentException("No Redis connection string is set (Groq:Redis:ConnectionString, ConnectionStrings:Redis or GROQ_REDIS).", nameof(options));
        }

        ConfigurationOptions configuration = ConfigurationOptions.Parse(options.ConnectionString!.Trim());

        // Never fail start-up or block on an unreachable Redis: the quota store falls back and the multiplexer reconnects.
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = Milliseconds(options.ConnectTimeout);
        configuration.AsyncTimeout = Milliseconds(options.OperationTimeout);
        configuration.SyncTimeout = Milliseconds(options.OperationTimeout);
        configuration.ReconnectRetryPolicy = new LinearRetry(Milliseconds(options.ReconnectInterval));

        // Commands fail at once while disconnected instead of queueing until their timeout: the fallback takes over immediately.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ClientName ??= "skgroq";
        return configuration;

        static int Milliseconds(TimeSpan value) => (int)Math.Clamp(Math.Ceiling(value.TotalMilliseconds), 1, int.MaxValue);
    }

    /// <summary>Gets the multiplexer, connecting on first use; completes once the first attempt ended, connected or not.</summary>
    /// <returns>The multiplexer.</returns>
    public ValueTask<IConnectionMultiplexer> GetAsync()
    {
        Task<ConnectionMultiplexer> connecting = _connecting ?? Start();
        return connecting.IsCompletedSuccessfully ? new(connecting.Result) : AwaitAsync(connecting);

        static async ValueTask<IConnectionMultiplexer> AwaitAsync(Task<ConnectionMultiplexer> connecting) => await connecting.ConfigureAwait(false);
    }

    /// <summary>Gets the database, connecting on first use.</summary>
    /// <returns>The database.</returns>
    public ValueTask<IDatabase> GetDatabaseAsync()
    {
        Task<ConnectionMultiplexer> connecting = _connecting ?? Start();
        return connecting.IsCompletedSuccessfully ? new(connecting.Result.GetDatabase()) : AwaitAsync(connecting);

        static async ValueTask<IDatabase> AwaitAsync(Task<ConnectionMultiplexer> connecting) => (await connecting.ConfigureAwait(false)).GetDatabase();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Detach() is { IsCompletedSuccessfully: true } connecting)
        {
            connecting.Result.Dispose();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Detach() is { IsCompletedSuccessfully: true } connecting)
        {
            await connecting.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<ConnectionMultiplexer> Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _connecting ??= ConnectAsync();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        ConnectionMultiplexer multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        // Every failed reconnection attempt raises ConnectionFailed again: log the first of an outage and the restoration.
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive && Interlocked.Exchange(ref _failed, 1) == 0)
            {
                Log.ConnectionFailed(_logger, Endpoint, e.FailureType.ToString(), e.Exception?.Message ?? string.Empty);
            }
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive && Interlocked.Exchange(ref _failed, 0) == 1)
            {
                Log.ConnectionRestored(_logger, Endpoint);
            }
        };
        if (!multiplexer.IsConnected)
        {
            Log.NotConnectedAtStart(_logger, Endpoint);
        }

        return multiplexer;
    }

    private Task<ConnectionMultiplexer>? Detach()
    {
        lock (_gate)
        {
            _disposed = true;
            return _connecting;
        }
    }

    private static string Describe(ConfigurationOptions configuration)
        => configuration.EndPoints.Count == 0
            ? "(no endpoint)"
            : string.Join(",", configuration.EndPoints.Select(static e => Convert.ToString(e, CultureInfo.InvariantCulture)));
}
