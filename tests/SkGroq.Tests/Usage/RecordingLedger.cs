using System.Threading.Channels;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

/// <summary>A ledger that keeps what it is given and lets a test await the next record.</summary>
internal sealed class RecordingLedger : IUsageLedger
{
    private readonly Channel<UsageRecord> _arrivals = Channel.CreateUnbounded<UsageRecord>();
    private readonly List<UsageRecord> _records = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<UsageRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    public UsageSummary Totals => UsageAggregator.Summarize(Records, UsageGrouping.None).SingleOrDefault() ?? new UsageSummary { Key = "total" };

    public IReadOnlyList<UsageRecord> Recent => Records;

    public long DroppedRecords => 0;

    public void Record(UsageRecord record)
    {
        lock (_lock)
        {
            _records.Add(record);
        }

        _arrivals.Writer.TryWrite(record);
    }

    public async Task<UsageRecord> NextAsync() => await _arrivals.Reader.ReadAsync(TestContext.Current.CancellationToken);

    public Task<IReadOnlyList<UsageRecord>> QueryAsync(DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
        => Task.FromResult(Records);

    public Task<IReadOnlyList<UsageSummary>> SummarizeAsync(UsageGrouping groupBy, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
        => Task.FromResult(UsageAggregator.Summarize(Records, groupBy));

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
