namespace SkGroq.RateLimiting.Redis;

/// <summary>A quota store shared between processes over a network (Redis), as <see cref="FallbackQuotaStore"/> needs it to survive outages.</summary>
internal interface ISharedQuotaStore : IQuotaStore
{
    /// <inheritdoc />
    bool IQuotaStore.IsShared => true;

    /// <summary>Gets the store's name for messages, e.g. "Redis at 10.0.0.5:6379" (never a password).</summary>
    string Description { get; }

    /// <summary>Gets a value indicating whether the connection is up now (no I/O).</summary>
    bool IsConnected { get; }

    /// <summary>Tells an outage (unreachable, timed out, not ready) from any other failure, which must not be hidden.</summary>
    /// <param name="exception">What a call threw.</param>
    /// <returns><see langword="true"/> when the store is unavailable.</returns>
    bool IsUnavailable(Exception exception);

    /// <summary>Gets a key's limits and usage as of the store's last answer about it.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="limits">The effective limits (0 = not limited).</param>
    /// <param name="used">The usage.</param>
    /// <returns><see langword="false"/> when the store never answered about the key.</returns>
    bool TryGetLastKnown(QuotaKey key, out QuotaFigures limits, out QuotaFigures used);

    /// <summary>Raises a key's usage to at least <paramref name="used"/> (what an instance admitted on its own during an outage); never lowers it.</summary>
    /// <param name="key">The organization and model.</param>
    /// <param name="used">The usage to raise to.</param>
    /// <param name="limits">Limits to use where the store lost its own (0 = unknown).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when any usage rose.</returns>
    ValueTask<bool> AbsorbAsync(QuotaKey key, QuotaFigures used, QuotaFigures limits, CancellationToken cancellationToken = default);
}
