using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkGroq.Errors;
using SkGroq.Redis;
using StackExchange.Redis;
namespace SkGroq.RateLimiting.Redis;

/// <summary>
/// The quota of every organization and model in Redis, shared by all processes that use the same Redis and key prefix.
/// Each operation is one Lua script (<see cref="RedisQuotaScripts"/>) running atomically on the server with the server's
/// clock (<c>TIME</c>) and the arithmetic of <see cref="QuotaBucket"/>; limits learnt from Groq and pauses after a 429 live
/// in Redis too, so every instance applies them.
/// </summary>
/// <remarks>
/// <para>Settling or releasing a reservation publishes a notification on <c>&lt;prefix&gt;:quota:freed</c>; the other instances'
/// <see cref="QuotaLimiter"/>s wake their queues for that key (<see cref="RegisterFreedCallback"/>) instead of polling.</para>
/// <para>This store fails when Redis does (<see cref="IsUnavailable"/> tells which failures are outages);
/// <see cref="FallbackQuotaStore"/> wraps it with the configured fallback policy.</para>
/// </remarks>
internal sealed partial class RedisQuotaStore : ISharedQuotaStore
{
    /// <summary>How long keys live after the last write: by then every bucket has refilled, and forgetting learnt limits is harmless.</summary>
    internal static TimeSpan KeyExpiry { get; } = TimeSpan.FromDays(2);

    private static readonly RedisValue s_settle = 0;
    private static readonly RedisValue s_release = 1;

    private readonly RedisConnection _connection;
    private readonly string _prefix;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly RedisChannel _channel;
    private readonly RedisValue _channelName;
    private readonly RedisValue _lifetimeMicros;
    private readonly RedisValue _expiryMilliseconds = (long)KeyExpiry.TotalMilliseconds;
    private readonly Func<long>? _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<QuotaKey, RedisQuotaKey> _keys = new();
    private readonly ConcurrentDictionary<string, RedisQuotaKey> _keysByName = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="RedisQuotaStore"/> class.</summary>
    /// <param name="connection">The connection to Redis.</param>
    /// <param name="options">The settings (key prefix, reservation lifetime).</param>
    /// <param name="logger">The logger.</param>
    /// <param name="clock">
    /// Tests only: the time in microseconds passed to every script instead of Redis <c>TIME</c>, so a fake clock drives the buckets.
    /// <see langword="null"/> (production) uses the server's clock.
    /// </param>
    public RedisQuotaStore(RedisConnection connection, RedisOptions options, ILogger<RedisQuotaStore>? logger = null, Func<long>? clock = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _prefix = options.KeyPrefix;
        _channel = RedisChannel.Literal($"{_prefix}:quota:freed");
        _channelName = _channel.ToString();
        _lifetimeMicros = options.ReservationLifetime.Ticks / TimeSpan.TicksPerMicrosecond;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Description => $"Redis at {_connection.Endpoint}";

    /// <inheritdoc />
    public bool IsConnected => _connection.IsConnected;

    /// <summary>Gets the key prefix.</summary>
    internal string KeyPrefix => _prefix;

    /// <inheritdoc />
    public ValueTask<QuotaDecision> TryReserveAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        Check(request);
        return ReserveAsync(key, request, peek: false, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<QuotaDecision> PeekAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        Check(request);
        return ReserveAsync(key, request, peek: true, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> SettleAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualTokens);
        return CompleteAsync(reservation, s_settle, actualTokens, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken = default)
        => CompleteAsync(reservation, s_release, 0, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisQuotaKey names = Names(key);
        GroqRateLimitHeaders? headers = observation.Headers;
        RedisValue[] args =
        [
            Now(),
            observation.ReservationId,
            headers is null ? 0 : 1,
            Value(headers?.LimitRequests),
            Value(headers?.RemainingRequests),
            Value(headers?.ResetRequests?.Ticks),
            Value(headers?.LimitTokens),
            Value(headers?.RemainingTokens),
            Value(headers?.ResetTokens?.Ticks),
            (int)observation.BodyLimit,
            Value(observation.BodyLimitValue),
            Value(observation.BodyUsed),
            _expiryMilliseconds,
            _channelName,
            names.FreedMessage,
        ];
        IDatabase database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        RedisResult result = await database.ScriptEvaluateAsync(RedisQuotaScripts.Learn, names.Keys, args).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        // Round up: admissions never resume a microsecond before Groq said. A century is "for ever".
        long micros = duration >= TimeSpan.FromDays(36_500) ? TimeSpan.FromDays(36_500).Ticks / TimeSpan.TicksPerMicrosecond : (duration.Ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond;
        RedisQuotaKey names = Names(key);
        IDatabase database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        await database.ScriptEvaluateAsync(RedisQuotaScripts.Pause, names.Keys, [Now(), micros, (int)limit, _expiryMilliseconds]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<QuotaSnapshot> GetSnapshotAsync(QuotaKey key, CancellationToken cancellationToken = default)
    {
        RedisResult[] reply = await SnapshotAsync(key, cancellationToken).ConfigureAwait(false);
        return new QuotaSnapshot(
            Level(reply, 0),
            Level(reply, 2),
            Level(reply, 4),
            Level(reply, 6),
            FromMicros((long)reply[8]),
            (int)reply[9],
            (long)reply[10]);

        static QuotaLevel Level(RedisResult[] reply, int at)
        {
            long limit = (long)reply[at];
            return new QuotaLevel(limit > 0 ? limit : null, (long)reply[at + 1]);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> AbsorbAsync(QuotaKey key, QuotaFigures used, QuotaFigures limits, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisQuotaKey names = Names(key);
        RedisValue[] args =
        [
            Now(),
            used.RequestsPerMinute,
            used.RequestsPerDay,
            used.TokensPerMinute,
            used.TokensPerDay,
            limits.RequestsPerMinute,
            limits.RequestsPerDay,
            limits.TokensPerMinute,
            limits.TokensPerDay,
            _expiryMilliseconds,
        ];
        IDatabase database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        return (long)await database.ScriptEvaluateAsync(RedisQuotaScripts.Absorb, names.Keys, args).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public bool TryGetLastKnown(QuotaKey key, out QuotaFigures limits, out QuotaFigures used)
    {
        if (_keys.TryGetValue(key, out RedisQuotaKey? names))
        {
            return names.TryGetLastKnown(out limits, out used);
        }

        (limits, used) = (default, default);
        return false;
    }

    /// <inheritdoc />
    public bool IsUnavailable(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,

        // A restarted server still loading its data, a busy script, a replica without its primary or a demoted primary
        // (failover), a cluster moving slots.
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal)
            || server.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Gets the balance counters of a key, for tests: tokens reserved, settled, released, in flight, and dropped as abandoned.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counters.</returns>
    internal async ValueTask<(long Reserved, long Settled, long Released, long InFlight, long Dropped)> GetBalanceAsync(QuotaKey key, CancellationToken cancellationToken = default)
    {
        RedisResult[] reply = await SnapshotAsync(key, cancellationToken).ConfigureAwait(false);
        return ((long)reply[11], (long)reply[12], (long)reply[13], (long)reply[10], (long)reply[14]);
    }

    /// <summary>Gets the Redis names of a key, for tests.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The state hash and in-flight set.</returns>
    internal RedisKey[] GetRedisKeys(QuotaKey key) => Names(key).Keys;

    private async ValueTask<QuotaDecision> ReserveAsync(QuotaKey key, QuotaRequest request, bool peek, CancellationToken cancellationToken)
    {
        // Not cancellable once sent: a reservation made on the server but abandoned here would stay counted.
        cancellationToken.ThrowIfCancellationRequested();
        RedisQuotaKey names = Names(key);
        ModelLimitsArgs(request, out RedisValue rpm, out RedisValue rpd, out RedisValue tpm, out RedisValue tpd);
        RedisValue[] args = [Now(), peek ? 1 : 0, request.Tokens, request.MinimumTokens, rpm, rpd, tpm, tpd, _lifetimeMicros, _expiryMilliseconds, request.Overdraft ? 1 : 0];
        IDatabase database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        var reply = (RedisResult[])(await database.ScriptEvaluateAsync(RedisQuotaScripts.Reserve, names.Keys, args).ConfigureAwait(false))!;
        names.Remember(
            new QuotaFigures((long)reply[5], (long)reply[6], (long)reply[7], (long)reply[8]),
            new QuotaFigures((long)reply[9], (long)reply[10], (long)reply[11], (long)reply[12]));
        long a = (long)reply[1];
        long b = (long)reply[2];
        long c = (long)reply[3];
        return (int)reply[0] switch
        {
            0 => QuotaDecision.Admitted(new QuotaReservation(key, a, b)),
            1 => QuotaDecision.MustWait((GroqLimitKind)a, b > 0 ? b : null, c, FromMicros((long)reply[4])),
            _ => QuotaDecision.NeverFits((GroqLimitKind)a, b, c),
        };
    }

    private async ValueTask<bool> CompleteAsync(QuotaReservation reservation, RedisValue release, long actualTokens, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (reservation.Id <= 0 || reservation.Handle is not null || reservation.Key.Organization is null || reservation.Key.Model is null)
        {
            // Not one of ours: peeked decisions carry id 0, other stores put a handle in.
            return false;
        }

        RedisQuotaKey names = Names(reservation.Key);
        RedisValue[] args = [Now(), release, reservation.Id, actualTokens, _expiryMilliseconds, _channelName, names.FreedMessage];
        IDatabase database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        return (long)await database.ScriptEvaluateAsync(RedisQuotaScripts.Settle, names.Keys, args).ConfigureAwait(false) == 1;
    }

    private async ValueTask<RedisResult[]> SnapshotAsync(QuotaKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisQuotaKey names = Names(key);
        IDatabase database = await _connection.GetDatabaseAsync().ConfigureAwait(false);
        return (RedisResult[])(await database.ScriptEvaluateAsync(RedisQuotaScripts.Snapshot, names.Keys, [Now()]).ConfigureAwait(false))!;
    }

    private RedisQuotaKey Names(QuotaKey key)
    {
        if (_keys.TryGetValue(key, out RedisQuotaKey? names))
        {
            return names;
        }

        ArgumentNullException.ThrowIfNull(key.Organization);
        ArgumentNullException.ThrowIfNull(key.Model);
        names = _keys.GetOrAdd(key, static (k, self) => new RedisQuotaKey(self._prefix, k, self._instance), this);
        _keysByName.TryAdd(names.Name, names);
        return names;
    }

    private RedisValue Now() => _clock is null ? RedisValue.EmptyString : _clock();

    private static void Check(in QuotaRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.MinimumTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Tokens, request.MinimumTokens);
    }

    private static void ModelLimitsArgs(in QuotaRequest request, out RedisValue rpm, out RedisValue rpd, out RedisValue tpm, out RedisValue tpd)
    {
        rpm = Limit(request.Limits.RequestsPerMinute);
        rpd = Limit(request.Limits.RequestsPerDay);
        tpm = Limit(request.Limits.TokensPerMinute);
        tpd = Limit(request.Limits.TokensPerDay);

        static RedisValue Limit(long? value) => value is > 0 ? value.Value : 0;
    }

    private static RedisValue Value(long? value) => value is { } v ? v : RedisValue.EmptyString;

    private static TimeSpan FromMicros(long micros)
        => micros >= TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond ? TimeSpan.MaxValue : TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond);
}
