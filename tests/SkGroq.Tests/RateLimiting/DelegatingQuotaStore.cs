using SkGroq.Errors;
using SkGroq.RateLimiting;

namespace SkGroq.Tests.RateLimiting;

/// <summary>A hand-written fake store over the in-memory one: can answer asynchronously (like a network store) or fail reservations; counts what is in flight.</summary>
internal sealed class DelegatingQuotaStore(IQuotaStore inner) : IQuotaStore
{
    private Action<QuotaKey>? _freed;
    private int _inFlight;

    /// <summary>Gets or sets a value indicating whether the store says other processes share it (as a Redis store does).</summary>
    public bool IsShared { get; set; }

    /// <summary>Gets the reservations admitted and not yet settled or released.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets or sets what to call after every settle or release.</summary>
    public Action? Changed { get; set; }

    public bool Asynchronous { get; set; }

    public Exception? ReserveFailure { get; set; }

    public int ReserveCalls { get; private set; }

    public async ValueTask<QuotaDecision> TryReserveAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        ReserveCalls++;
        await YieldAsync();
        if (ReserveFailure is { } failure)
        {
            throw failure;
        }

        QuotaDecision decision = await inner.TryReserveAsync(key, request, cancellationToken);
        if (decision.IsAdmitted)
        {
            Interlocked.Increment(ref _inFlight);
        }

        return decision;
    }

    public async ValueTask<QuotaDecision> PeekAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default)
    {
        await YieldAsync();
        return await inner.PeekAsync(key, request, cancellationToken);
    }

    public async ValueTask<bool> SettleAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken = default)
    {
        await YieldAsync();
        return Finished(await inner.SettleAsync(reservation, actualTokens, cancellationToken));
    }

    public async ValueTask<bool> ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken = default)
    {
        await YieldAsync();
        return Finished(await inner.ReleaseAsync(reservation, cancellationToken));
    }

    public async ValueTask<bool> LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default)
    {
        await YieldAsync();
        return await inner.LearnAsync(key, observation, cancellationToken);
    }

    public async ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default)
    {
        await YieldAsync();
        await inner.PauseAsync(key, duration, limit, cancellationToken);
    }

    public ValueTask<QuotaSnapshot> GetSnapshotAsync(QuotaKey key, CancellationToken cancellationToken = default) => inner.GetSnapshotAsync(key, cancellationToken);

    public IDisposable RegisterFreedCallback(Action<QuotaKey> callback)
    {
        _freed = callback;
        return inner.RegisterFreedCallback(callback);
    }

    /// <summary>Acts as another process that freed quota (what a shared store's notification does).</summary>
    public void RaiseFreedElsewhere(QuotaKey key) => _freed?.Invoke(key);

    private bool Finished(bool done)
    {
        if (done)
        {
            Interlocked.Decrement(ref _inFlight);
        }

        Changed?.Invoke();
        return done;
    }

    private async ValueTask YieldAsync()
    {
        if (Asynchronous)
        {
            await Task.Yield();
        }
    }
}
