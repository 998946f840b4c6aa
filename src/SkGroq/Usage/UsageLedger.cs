using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace SkGroq.Usage;

/// <summary>
/// The default <see cref="IUsageLedger"/>: recent records and running totals in memory, and a background writer that
/// appends every record to an <see cref="IUsageStore"/> (SQLite) through a bounded queue.
/// </summary>
/// <remarks>
/// <see cref="Record"/> never waits: it hands the record to the queue. When the queue is full or the store fails, the
/// record stays in memory, <see cref="DroppedRecords"/> counts it and an error is logged — never silently.
/// Disposing (the host stopping and disposing its services) writes everything still queued.
/// </remarks>
internal sealed partial class UsageLedger : IUsageLedger, IDisposable, IAsyncDisposable
{
    private const int BatchSize = 256;
    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(30);

    private readonly IUsageStore? _store;
    private readonly Channel<object>? _queue;
    private readonly Task _writer = Task.CompletedTask;
    private readonly int _queueCapacity;
    private readonly ILogger _logger;
    private readonly UsageMetrics? _metrics;
    private readonly Lock _lock = new();
    private readonly UsageRecord[] _recent;
    private readonly UsageAccumulator _totals = new(percentiles: false);
    private int _recentNext;
    private int _recentCount;
    private long _dropped;
    private long _queued;
    private long _written;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="UsageLedger"/> class from options.</summary>
    /// <param name="options">The usage tracking settings (<c>Groq:Usage</c>).</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The metrics that count dropped records.</param>
    public UsageLedger(IOptions<UsageTrackingOptions> options, ILogger<UsageLedger>? logger = null, UsageMetrics? metrics = null)
        : this(CreateStore((options ?? throw new ArgumentNullException(nameof(options))).Value), options.Value.RecentCapacity, options.Value.WriteQueueCapacity, logger, metrics)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="UsageLedger"/> class.</summary>
    /// <param name="store">The durable store; <see langword="null"/> keeps records in memory only.</param>
    /// <param name="recentCapacity">How many recent records to keep in memory.</param>
    /// <param name="queueCapacity">How many records may wait for the writer.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="metrics">The metrics that count dropped records.</param>
    internal UsageLedger(IUsageStore? store, int recentCapacity, int queueCapacity, ILogger? logger = null, UsageMetrics? metrics = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recentCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _store = store;
        _recent = new UsageRecord[recentCapacity];
        _queueCapacity = queueCapacity;
        _logger = logger ?? NullLogger.Instance;
        _metrics = metrics;
        if (store is not null)
        {
            Log.Opened(_logger, store.Location);

            // Flush markers travel in the same queue, so they may exceed the capacity by the few flushes waiting.
            _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(queueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            _writer = Task.Run(WriteLoopAsync);
        }
    }

    /// <inheritdoc />
    public UsageSummary Totals
    {
        get
        {
            lock (_lock)
            {
                return _totals.ToSummary("total");
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<UsageRecord> Recent
    {
        get
        {
            lock (_lock)
            {
                var records = new UsageRecord[_recentCount];
                int start = (_recentNext - _recentCount + _recent.Length) % _recent.Length;
                for (int i = 0; i < _recentCount; i++)
                {
                    records[i] = _recent[(start + i) % _recent.Length];
                }

                return records;
            }
        }
    }

    /// <inheritdoc />
    public long DroppedRecords => Interlocked.Read(ref _dropped);

    /// <summary>Gets the number of records written to the store.</summary>
    internal long WrittenRecords => Interlocked.Read(ref _written);

    /// <inheritdoc />
    public void Record(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _recent[_recentNext] = record;
            _recentNext = (_recentNext + 1) % _recent.Length;
            _recentCount = Math.Min(_recentCount + 1, _recent.Length);
            _totals.Add(record);
        }

        if (_queue is null)
        {
            return;
        }

        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _queued);
            return;
        }

        long dropped = Interlocked.Increment(ref _dropped);
        _metrics?.RecordDropped(1);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Log.RecordAfterDispose(_logger, record.ModelRequested, record.RequestId);
        }
        else
        {
            Log.QueueFull(_logger, _queueCapacity, _store!.Location, record.ModelRequested, record.RequestId, dropped);
        }
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_queue is null)
        {
            return;
        }

        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(flushed, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Closed: disposal writes everything that was queued.
            await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UsageRecord>> QueryAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        if (_store is null)
        {
            return [.. Recent.Where(r => (since is null || r.Timestamp >= since) && (until is null || r.Timestamp < until))];
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        IUsageStore store = _store;
        return await Task.Run(() => store.Query(since, until), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UsageSummary>> SummarizeAsync(UsageGrouping groupBy, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<UsageRecord> records = await QueryAsync(since, until, cancellationToken).ConfigureAwait(false);
        return UsageAggregator.Summarize(records, groupBy);
    }

    /// <summary>Writes what is queued, then closes the store.</summary>
    public void Dispose()
    {
        if (!BeginClose())
        {
            return;
        }

        // The writer runs on the thread pool, so waiting for it here cannot deadlock.
        if (!_writer.Wait(s_closeTimeout))
        {
            Log.FlushTimedOut(_logger, _store!.Location, s_closeTimeout, Interlocked.Read(ref _queued) - Interlocked.Read(ref _written));
        }

        _store?.Dispose();
    }

    /// <summary>Writes what is queued, then closes the store.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (!BeginClose())
        {
            return;
        }

        try
        {
            await _writer.WaitAsync(s_closeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.FlushTimedOut(_logger, _store!.Location, s_closeTimeout, Interlocked.Read(ref _queued) - Interlocked.Read(ref _written));
        }

        _store?.Dispose();
    }

    private static SqliteUsageStore? CreateStore(UsageTrackingOptions options)
        => options.Enabled && options.Persist
            ? new SqliteUsageStore(options.EffectiveDatabasePath)
            : null;

    private bool BeginClose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        _queue?.Writer.TryComplete();
        return true;
    }
}
