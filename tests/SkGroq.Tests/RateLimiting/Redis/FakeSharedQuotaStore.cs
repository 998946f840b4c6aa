using System.Collections.Concurrent;
using SkGroq.Errors;
using SkGroq.RateLimiting;
using SkGroq.RateLimiting.Redis;
using StackExchange.Redis;

namespace SkGroq.Tests.RateLimiting.Redis;

/// <summary>A shared store over an in-memory one that can be taken down: calls then fail as StackExchange.Redis fails when Redis is gone.</summary>
internal sealed class FakeSharedQuotaStore(TimeProvider time) : ISharedQuotaStore
{
    private readonly InMemoryQuotaStore _inner = new(time);
    private readonly ConcurrentDictionary<(QuotaKey, long), QuotaReservation> _held = new();
    private readonly ConcurrentDictionary<QuotaKey, (QuotaFigures Limits, QuotaFigures Used)> _lastKnown = new();

    /// <summary>Gets or sets a value indicating whether Redis is gone: every call throws <see cref="RedisConnectionException"/>.</summary>
    public bool Down { get; set; }

    /// <summary>Gets or sets an exception every call throws (a bug rather than an outage).</summary>
    public Exception? Failure { get; set; }

    public string Description => "Redis at fake:6379";

    public bool IsConnected => !Down;

    public List<(QuotaKey Key, QuotaFigures Used, QuotaFigures Limits)> Absorbed { get; } = [];

    public int Calls { get; private set; }

    public bool IsUnavailable(Exception exception) => exception is RedisConnectionException;

    public async ValueTask<QuotaDecision> TryReserveAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        Enter();
        QuotaDecision decision = await _inner.TryReserveAsync(key, request, cancellationToken);
        await RememberAsync(key);
        if (!decision.IsAdmitted)
        {
            return decision;
        }

        // Like Redis: a reservation is its key and id, no handle.
        _held[(key, decision.Reservation.Id)] = decision.Reservation;
        return QuotaDecision.Admitted(decision.Reservation with { Handle = null, Version = 0 });
    }

    public async ValueTask<QuotaDecision> PeekAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        Enter();
        QuotaDecision decision = await _inner.PeekAsync(key, request, cancellationToken);
        await RememberAsync(key);
        return decision;
    }

    public async ValueTask<bool> SettleAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken = default)
    {
        Enter();
        return _held.TryRemove((reservation.Key, reservation.Id), out QuotaReservation inner) && await _inner.SettleAsync(inner, actualTokens, cancellationToken);
    }

    public async ValueTask<bool> ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken = default)
    {
        Enter();
        return _held.TryRemove((reservation.Key, reservation.Id), out QuotaReservation inner) && await _inner.ReleaseAsync(inner, cancellationToken);
    }

    public ValueTask<bool> LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default)
    {
        Enter();
        return _inner.LearnAsync(key, observation, cancellationToken);
    }

    public ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default)
    {
        Enter();
        return _inner.PauseAsync(key, duration, limit, cancellationToken);
    }

    public ValueTask<QuotaSnapshot> GetSnapshotAsync(QuotaKey key, CancellationToken cancellationToken = default)
    {
        Enter();
        return _inner.GetSnapshotAsync(key, cancellationToken);
    }

    /// <summary>Reads the shared state whether or not the store is down (the test's view of Redis).</summary>
    public ValueTask<QuotaSnapshot> PeekStateAsync(QuotaKey key) => _inner.GetSnapshotAsync(key);

    public bool TryGetLastKnown(QuotaKey key, out QuotaFigures limits, out QuotaFigures used)
    {
        bool known = _lastKnown.TryGetValue(key, out (QuotaFigures Limits, QuotaFigures Used) last);
        (limits, used) = last;
        return known;
    }

    public async ValueTask<bool> AbsorbAsync(QuotaKey key, QuotaFigures used, QuotaFigures limits, CancellationToken cancellationToken = default)
    {
        Enter();
        Absorbed.Add((key, used, limits));
        bool rose = false;
        foreach (GroqLimitKind kind in (GroqLimitKind[])[GroqLimitKind.RequestsPerMinute, GroqLimitKind.RequestsPerDay, GroqLimitKind.TokensPerMinute, GroqLimitKind.TokensPerDay])
        {
            // A 429 body's "Used" raises usage and never lowers it, as the absorb script does.
            rose |= used[kind] > 0 && await _inner.LearnAsync(key, new QuotaObservation(null, long.MaxValue, kind, null, used[kind]), cancellationToken);
        }

        return rose;
    }

    public IDisposable RegisterFreedCallback(Action<QuotaKey> callback) => _inner.RegisterFreedCallback(callback);

    private void Enter()
    {
        Calls++;
        if (Failure is { } failure)
        {
            throw failure;
        }

        if (Down)
        {
            throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "No connection is active/available to service this operation (fake outage)");
        }
    }

    private async ValueTask RememberAsync(QuotaKey key)
    {
        QuotaSnapshot s = await _inner.GetSnapshotAsync(key);
        _lastKnown[key] = (
            new QuotaFigures(s.RequestsPerMinute.Limit ?? 0, s.RequestsPerDay.Limit ?? 0, s.TokensPerMinute.Limit ?? 0, s.TokensPerDay.Limit ?? 0),
            new QuotaFigures(s.RequestsPerMinute.Used, s.RequestsPerDay.Used, s.TokensPerMinute.Used, s.TokensPerDay.Used));
    }
}
