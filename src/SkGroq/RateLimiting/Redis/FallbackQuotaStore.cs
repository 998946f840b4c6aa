using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SkGroq.Errors;
using SkGroq.Redis;
namespace SkGroq.RateLimiting.Redis;

/// <summary>
/// The quota store of an instance configured with Redis: the shared store while it is reachable, and the configured
/// <see cref="RedisFallbackPolicy"/> while it is not — each instance's local share of every limit, or failing closed.
/// </summary>
/// <remarks>
/// <para><b>Shared</b>: every call goes to the shared store. A call that finds it unreachable switches to the fallback at once
/// (with one warning) and is answered by it, so no request fails because Redis went away.</para>
/// <para><b>Local</b> (<see cref="RedisFallbackPolicy.LocalShare"/>): a <see cref="LocalQuotaShare"/> admits 1/<c>InstanceCount</c> of
/// every limit, starting from the shared usage last seen. Settling a shared reservation meanwhile is kept and replayed later.</para>
/// <para><b>Rejoining</b>: once the connection is back (checked on every call, no polling), the local usage is merged into the
/// shared store (raised to the share's usage times the instance count), the pending settlements are replayed, and for
/// <see cref="RedisOptions.RejoinPeriod"/> an admission needs both the shared quota and the local share, because instances that
/// reconnect later still admit on their own. Then the shared quota applies alone.</para>
/// <para>Reservations are settled where they were made, whatever the state is by then: nothing admitted locally is lost.</para>
/// </remarks>
internal sealed partial class FallbackQuotaStore : IQuotaStore
{
    /// <inheritdoc />
    /// <remarks>Shared even while Redis is down: the other instances keep using their shares of the organization's limits.</remarks>
    public bool IsShared => true;

    private readonly ISharedQuotaStore _shared;
    private readonly TimeProvider _timeProvider;
    private readonly RedisFallbackPolicy _policy;
    private readonly int _instances;
    private readonly TimeSpan _rejoinPeriod;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<QuotaReservation, long> _pending = new();
    private volatile FallbackMode _mode;
    private LocalQuotaShare? _share;
    private long _rejoinStarted;
    private int _rejoinRunning;
    private int _outages;
    private int _rejoins;

    /// <summary>Initializes a new instance of the <see cref="FallbackQuotaStore"/> class.</summary>
    /// <param name="shared">The shared store.</param>
    /// <param name="options">The fallback settings.</param>
    /// <param name="timeProvider">The clock of the local share and of the rejoin period.</param>
    /// <param name="logger">Receives the warnings when the shared store goes and comes back.</param>
    public FallbackQuotaStore(ISharedQuotaStore shared, RedisOptions options, TimeProvider timeProvider, ILogger<FallbackQuotaStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _shared = shared;
        _timeProvider = timeProvider;
        _policy = options.FallbackPolicy;
        _instances = options.InstanceCount;
        _rejoinPeriod = options.RejoinPeriod;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the current state.</summary>
    public FallbackMode Mode => _mode;

    /// <summary>Gets how many times the shared store became unreachable.</summary>
    public int Outages => Volatile.Read(ref _outages);

    /// <summary>Gets how many times this instance merged its local usage back and rejoined the shared quota.</summary>
    public int Rejoins => Volatile.Read(ref _rejoins);

    /// <summary>Gets the shared store.</summary>
    internal ISharedQuotaStore Shared => _shared;

    /// <inheritdoc />
    public ValueTask<QuotaDecision> TryReserveAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
        => ReserveAsync(key, request, peek: false, cancellationToken);

    /// <inheritdoc />
    public ValueTask<QuotaDecision> PeekAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
        => ReserveAsync(key, request, peek: true, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> SettleAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actualTokens);
        return CompleteAsync(reservation, actualTokens, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken = default)
        => CompleteAsync(reservation, -1, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<bool> LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default)
    {
        FallbackMode mode = CurrentMode();
        bool rose = false;
        if (mode != FallbackMode.Local)
        {
            try
            {
                // A local reservation's id means nothing to the shared store: then every reservation in flight counts as unseen.
                rose = await _shared.LearnAsync(key, observation.ReservationId < 0 ? observation with { ReservationId = 0 } : observation, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (_shared.IsUnavailable(exception))
            {
                OnUnavailable(exception);
                mode = FallbackMode.Local;
            }
        }

        if (mode != FallbackMode.Shared && ShareOrNull() is { } share)
        {
            rose |= share.Learn(key, observation);
        }

        return rose;
    }

    /// <inheritdoc />
    public async ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default)
    {
        FallbackMode mode = CurrentMode();
        if (mode != FallbackMode.Local)
        {
            try
            {
                await _shared.PauseAsync(key, duration, limit, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (_shared.IsUnavailable(exception))
            {
                OnUnavailable(exception);
                mode = FallbackMode.Local;
            }
        }

        if (mode != FallbackMode.Shared && ShareOrNull() is { } share)
        {
            share.Pause(key, duration, limit);
        }
    }

    /// <inheritdoc />
    public async ValueTask<QuotaSnapshot> GetSnapshotAsync(QuotaKey key, CancellationToken cancellationToken = default)
    {
        if (CurrentMode() != FallbackMode.Local)
        {
            try
            {
                return await _shared.GetSnapshotAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (_shared.IsUnavailable(exception))
            {
                OnUnavailable(exception);
            }
        }

        return ShareOrNull() is { } share
            ? await share.Store.GetSnapshotAsync(key, cancellationToken).ConfigureAwait(false)
            : throw Unavailable(key.Model, null);
    }

    /// <inheritdoc />
    public IDisposable RegisterFreedCallback(Action<QuotaKey> callback) => _shared.RegisterFreedCallback(callback);

    private async ValueTask<QuotaDecision> ReserveAsync(QuotaKey key, QuotaRequest request, bool peek, CancellationToken cancellationToken)
    {
        FallbackMode mode = CurrentMode();
        if (mode == FallbackMode.Shared)
        {
            try
            {
                return peek
                    ? await _shared.PeekAsync(key, request, cancellationToken).ConfigureAwait(false)
                    : await _shared.TryReserveAsync(key, request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (_shared.IsUnavailable(exception))
            {
                OnUnavailable(exception);
                return ReserveLocally(key, request, peek, exception);
            }
        }

        if (mode == FallbackMode.Local || ShareOrNull() is not { } share)
        {
            return ReserveLocally(key, request, peek, null);
        }

        // Rejoining: the local share first (no I/O), then the shared quota.
        QuotaDecision local = share.Reserve(key, request, peek);
        if (!local.IsAdmitted)
        {
            return local;
        }

        QuotaDecision shared;
        try
        {
            shared = peek
                ? await _shared.PeekAsync(key, request, cancellationToken).ConfigureAwait(false)
                : await _shared.TryReserveAsync(key, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_shared.IsUnavailable(exception))
        {
            // Gone again: the local admission stands on its own.
            OnUnavailable(exception);
            return local;
        }
        catch
        {
            await ReleaseLocalAsync(local.Reservation).ConfigureAwait(false);
            throw;
        }

        if (peek)
        {
            return shared;
        }

        if (!shared.IsAdmitted)
        {
            await ReleaseLocalAsync(local.Reservation).ConfigureAwait(false);
            return shared;
        }

        // Both hold it: the shared id (positive) for the shared store, the local handle for the share.
        return QuotaDecision.Admitted(shared.Reservation with { Handle = local.Reservation.Handle });
    }

    private QuotaDecision ReserveLocally(QuotaKey key, in QuotaRequest request, bool peek, Exception? cause)
        => ShareOrNull() is { } share ? share.Reserve(key, request, peek) : throw Unavailable(key.Model, cause);

    private async ValueTask<bool> CompleteAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken)
    {
        bool completed = false;
        if (reservation.Handle is LocalQuotaHandle handle)
        {
            // Settled in the share that admitted it (its own clock), whatever the state is now.
            InMemoryQuotaStore store = handle.Share.Store;
            completed = actualTokens < 0
                ? await store.ReleaseAsync(handle.Local, cancellationToken).ConfigureAwait(false)
                : await store.SettleAsync(handle.Local, actualTokens, cancellationToken).ConfigureAwait(false);
            if (reservation.Id < 0)
            {
                return completed;
            }

            reservation = reservation with { Handle = null };
        }

        if (reservation.Id <= 0)
        {
            return false;
        }

        if (CurrentMode() == FallbackMode.Local)
        {
            return Defer(reservation, actualTokens) || completed;
        }

        try
        {
            bool shared = actualTokens < 0
                ? await _shared.ReleaseAsync(reservation, cancellationToken).ConfigureAwait(false)
                : await _shared.SettleAsync(reservation, actualTokens, cancellationToken).ConfigureAwait(false);
            return shared || completed;
        }
        catch (Exception exception) when (_shared.IsUnavailable(exception))
        {
            OnUnavailable(exception);
            return Defer(reservation, actualTokens) || completed;
        }
    }

    // Kept for the shared store until it is back; refused if this reservation is already waiting (exactly once).
    private bool Defer(QuotaReservation reservation, long actualTokens) => _pending.TryAdd(reservation, actualTokens);

    private static async ValueTask ReleaseLocalAsync(QuotaReservation reservation)
    {
        if (reservation.Handle is LocalQuotaHandle handle)
        {
            await handle.Share.Store.ReleaseAsync(handle.Local).ConfigureAwait(false);
        }
    }

    private LocalQuotaShare? ShareOrNull() => _policy == RedisFallbackPolicy.LocalShare ? Volatile.Read(ref _share) : null;

    private GroqConnectionException Unavailable(string model, Exception? cause)
        => new(
            $"Not sent: the shared rate-limit quota in {_shared.Description} cannot be reached{(cause is null ? string.Empty : $" ({cause.Message})")}, and Groq:Redis:FallbackPolicy is FailClosed. Check that Redis is running and reachable from this host, or set Groq:Redis:FallbackPolicy to LocalShare to keep sending with this instance's share of each limit.",
            new GroqErrorDetails { Model = model },
            cause);
}
