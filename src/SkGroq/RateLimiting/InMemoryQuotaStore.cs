using System.Collections.Concurrent;
using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>The quota store of one process: a <see cref="ModelQuota"/> per organization and model, locked per key, on a <see cref="TimeProvider"/>.</summary>
/// <remarks>Every call completes synchronously; reserving and settling allocate nothing once a key exists.</remarks>
internal sealed class InMemoryQuotaStore : IQuotaStore
{
    private readonly ConcurrentDictionary<QuotaKey, ModelQuota> _quotas = new();
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;

    /// <summary>Initializes a new instance of the <see cref="InMemoryQuotaStore"/> class.</summary>
    /// <param name="timeProvider">The clock (monotonic timestamps are used).</param>
    public InMemoryQuotaStore(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
    }

    /// <inheritdoc />
    public ValueTask<QuotaDecision> TryReserveAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        ModelQuota quota = Get(key);
        lock (quota.Gate)
        {
            return new(quota.TryReserve(request, Now()));
        }
    }

    /// <inheritdoc />
    public ValueTask<QuotaDecision> PeekAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        ModelQuota quota = Get(key);
        lock (quota.Gate)
        {
            return new(quota.Peek(request, Now()));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> SettleAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken = default)
    {
        // The handle leads to the issuing quota: no lookup by key on the fast path.
        if ((ModelQuota.IssuerOf(reservation) ?? _quotas.GetValueOrDefault(reservation.Key)) is not { } quota)
        {
            return new(false);
        }

        lock (quota.Gate)
        {
            return new(quota.Settle(reservation, actualTokens, Now()));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken = default)
    {
        if ((ModelQuota.IssuerOf(reservation) ?? _quotas.GetValueOrDefault(reservation.Key)) is not { } quota)
        {
            return new(false);
        }

        lock (quota.Gate)
        {
            return new(quota.Release(reservation, Now()));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default)
    {
        ModelQuota quota = Get(key);
        lock (quota.Gate)
        {
            return new(quota.Learn(observation, Now()));
        }
    }

    /// <inheritdoc />
    public ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default)
    {
        ModelQuota quota = Get(key);
        lock (quota.Gate)
        {
            quota.Pause(duration, limit, Now());
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask<QuotaSnapshot> GetSnapshotAsync(QuotaKey key, CancellationToken cancellationToken = default)
    {
        ModelQuota quota = Get(key);
        lock (quota.Gate)
        {
            return new(quota.Snapshot(Now()));
        }
    }

    /// <inheritdoc />
    public IDisposable RegisterFreedCallback(Action<QuotaKey> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return NoRegistration.Instance;
    }

    /// <summary>Gets the balance counters of a key, for tests: reserved, settled and released tokens and what is in flight.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The counters.</returns>
    internal (long Reserved, long Settled, long Released, long InFlight) GetBalance(QuotaKey key)
    {
        ModelQuota quota = Get(key);
        lock (quota.Gate)
        {
            return (quota.ReservedTokens, quota.SettledTokens, quota.ReleasedTokens, quota.InFlightTokens);
        }
    }

    private long Now() => _timeProvider.GetElapsedTime(_origin).Ticks;

    private ModelQuota Get(QuotaKey key) => _quotas.GetOrAdd(key, static k => new ModelQuota(k));

    private sealed class NoRegistration : IDisposable
    {
        public static readonly NoRegistration Instance = new();

        public void Dispose()
        {
        }
    }
}
