using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkGroq.Caching.Stores;

namespace SkGroq.Caching;

/// <summary>
/// The response cache the handler works with: the store (reads and writes that never fail a request), the single-flight
/// table, the counters behind <see cref="IResponseCache"/>, and the metrics.
/// </summary>
internal sealed class ResponseCache : IResponseCache
{
    private readonly IResponseCacheStore _store;
    private readonly ResponseCacheMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _retention;
    private long _hits;
    private long _misses;
    private long _coalesced;
    private long _stale;
    private long _stored;
    private long _bypassed;
    private long _tokensSaved;

    /// <summary>Initializes a new instance of the <see cref="ResponseCache"/> class.</summary>
    /// <param name="options">The Groq options (<c>Groq:Cache</c>).</param>
    /// <param name="store">Where answers are kept.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="logger">The logger.</param>
    public ResponseCache(IOptions<ResponseCachingOptions> options, IResponseCacheStore store, ResponseCacheMetrics metrics, ILogger<ResponseCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(metrics);
        Options = options.Value;
        _store = store;
        _metrics = metrics;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _retention = Options.TimeToLive + Options.StaleWindow;
    }

    /// <summary>Gets the cache settings.</summary>
    public ResponseCachingOptions Options { get; }

    /// <summary>Gets the table of requests in flight.</summary>
    public SingleFlight<CachedAnswer> Flights { get; } = new();

    /// <inheritdoc />
    public ResponseCacheStatistics GetStatistics()
    {
        ResponseCacheStoreSize? size = _store.GetSize();
        return new ResponseCacheStatistics
        {
            Store = _store.Name,
            Entries = size?.Entries,
            Bytes = size?.Bytes,
            Hits = Interlocked.Read(ref _hits),
            Misses = Interlocked.Read(ref _misses),
            Coalesced = Interlocked.Read(ref _coalesced),
            StaleServes = Interlocked.Read(ref _stale),
            Stored = Interlocked.Read(ref _stored),
            Bypassed = Interlocked.Read(ref _bypassed),
            TokensSaved = Interlocked.Read(ref _tokensSaved),
        };
    }

    /// <inheritdoc />
    public async ValueTask<long?> ClearAsync(CancellationToken cancellationToken = default)
    {
        long? removed = await _store.ClearAsync(cancellationToken).ConfigureAwait(false);
        Log.Cleared(_logger, _store.Name, removed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "count unknown");
        return removed;
    }

    /// <summary>Reads an entry; a failing store reads as a miss (logged).</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public async ValueTask<CachedAnswer?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReadFailed(_logger, _store.Name, ex);
            return null;
        }
    }

    /// <summary>
    /// Shares a leader's answer with its followers and stores it until the end of its stale window. Never throws and never
    /// waits for a remote store: a synchronous store (memory) has the entry when this returns; a remote write finishes in the
    /// background (a failure is logged). The flight stays joinable until the entry is in the store, so no request arriving
    /// in between asks Groq again.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="answer">The answer.</param>
    /// <param name="flight">The leader's flight, if any.</param>
    public void StoreAndShare(string key, CachedAnswer answer, Flight<CachedAnswer>? flight)
    {
        if (flight is not null)
        {
            SingleFlight<CachedAnswer>.Publish(flight, answer);
        }

        ValueTask write;
        try
        {
            // Not the caller's token: the answer is complete, and a caller that stops reading must not undo the write.
            write = _store.SetAsync(key, answer, answer.StoredAt + _retention, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WriteFailed(_logger, _store.Name, ex);
            Forget(flight);
            return;
        }

        if (write.IsCompletedSuccessfully)
        {
            OnStored(answer);
            Forget(flight);
        }
        else
        {
            _ = CompleteStoreAsync(write, answer, flight);
        }
    }

    public void RecordHit(CachedAnswer answer, bool coalesced)
    {
        Interlocked.Increment(ref _hits);
        if (coalesced)
        {
            Interlocked.Increment(ref _coalesced);
        }

        Interlocked.Add(ref _tokensSaved, answer.Info.TotalTokens);
        _metrics.RecordHit(answer.Info.Model, coalesced, answer.Info.TotalTokens);
    }

    public void RecordStale(CachedAnswer answer, string errorKind)
    {
        Interlocked.Increment(ref _stale);
        Interlocked.Add(ref _tokensSaved, answer.Info.TotalTokens);
        _metrics.RecordStale(answer.Info.Model, errorKind, answer.Info.TotalTokens);
    }

    public void RecordMiss(string? model)
    {
        Interlocked.Increment(ref _misses);
        _metrics.RecordMiss(model);
    }

    public void RecordBypass() => Interlocked.Increment(ref _bypassed);

    private async Task CompleteStoreAsync(ValueTask write, CachedAnswer answer, Flight<CachedAnswer>? flight)
    {
        try
        {
            await write.ConfigureAwait(false);
            OnStored(answer);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A background write has no caller to fail: the answer was delivered; only the store is missing it.
            Log.WriteFailed(_logger, _store.Name, ex);
        }
        finally
        {
            Forget(flight);
        }
    }

    private void Forget(Flight<CachedAnswer>? flight)
    {
        if (flight is not null)
        {
            Flights.Forget(flight);
        }
    }

    private void OnStored(CachedAnswer answer)
    {
        Interlocked.Increment(ref _stored);
        Log.Stored(_logger, answer.Info.Model, _store.Name, answer.Data.Length, answer.Kind == CachedAnswerKind.Json ? "json" : "stream");
    }
}
