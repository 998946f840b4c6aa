using SkGroq.Errors;

namespace SkGroq.RateLimiting;

/// <summary>
/// Where the quota of each organization and model lives: in this process (<see cref="InMemoryQuotaStore"/>) or shared
/// between processes (Redis). Every operation on one key is atomic; the store keeps its own clock.
/// </summary>
/// <remarks>
/// <para>Times are relative (<see cref="QuotaDecision.RetryAfter"/>, pause durations): a shared store uses its server's clock,
/// never the caller's, so absolute times from two machines are never compared.</para>
/// <para>Stores never wait: <see cref="TryReserveAsync"/> answers at once and <see cref="QuotaLimiter"/> queues.
/// Every implementation runs the contract tests in <c>QuotaStoreContractTests</c>.</para>
/// </remarks>
internal interface IQuotaStore
{
    /// <summary>
    /// Gets a value indicating whether other processes share this quota. A 429's "try again in" then says nothing of the room
    /// the other processes take meanwhile, so a retry waits for the shared figures instead of going on the server's word.
    /// </summary>
    bool IsShared => false;

    /// <summary>Atomically checks RPM, RPD, TPM, TPD and any pause for one model and, when all admit, reserves one request and the tokens.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call (not a held reservation).</param>
    /// <returns>The admission with its reservation, or the binding limit and when it frees, or that it never fits.</returns>
    ValueTask<QuotaDecision> TryReserveAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default);

    /// <summary>Says what <see cref="TryReserveAsync"/> would answer now, without reserving.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision; an admission carries no reservation.</returns>
    ValueTask<QuotaDecision> PeekAsync(QuotaKey key, QuotaRequest request, CancellationToken cancellationToken = default);

    /// <summary>Settles a reservation to the tokens actually used: refunds or charges the difference.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="actualTokens">The tokens Groq counted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call settled it; <see langword="false"/> when it was already settled or released.</returns>
    ValueTask<bool> SettleAsync(QuotaReservation reservation, long actualTokens, CancellationToken cancellationToken = default);

    /// <summary>Gives a reservation back whole.</summary>
    /// <param name="reservation">The reservation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when this call released it; <see langword="false"/> when it was already settled or released.</returns>
    ValueTask<bool> ReleaseAsync(QuotaReservation reservation, CancellationToken cancellationToken = default);

    /// <summary>Learns limits and usage from one of Groq's answers (headers, 429 body).</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="observation">What the answer said.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when a limit rose.</returns>
    ValueTask<bool> LearnAsync(QuotaKey key, QuotaObservation observation, CancellationToken cancellationToken = default);

    /// <summary>Holds back every admission for the model for <paramref name="duration"/> (Groq's <c>retry-after</c> after a 429); a longer pause in force is kept.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="duration">How long.</param>
    /// <param name="limit">The limit Groq named; reported as the binding limit meanwhile.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the pause is recorded.</returns>
    ValueTask PauseAsync(QuotaKey key, TimeSpan duration, GroqLimitKind limit, CancellationToken cancellationToken = default);

    /// <summary>Gets the state of every limit of the model now.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot.</returns>
    ValueTask<QuotaSnapshot> GetSnapshotAsync(QuotaKey key, CancellationToken cancellationToken = default);

    /// <summary>Registers a callback for quota freed by others (another process sharing the store); the limiter wakes its queue for the key.</summary>
    /// <param name="callback">Called with the key whose quota was freed; must return quickly.</param>
    /// <returns>Disposing it unregisters the callback.</returns>
    /// <remarks>The in-memory store never calls it: every settle and release goes through the limiter, which wakes its queue itself.</remarks>
    IDisposable RegisterFreedCallback(Action<QuotaKey> callback);
}
