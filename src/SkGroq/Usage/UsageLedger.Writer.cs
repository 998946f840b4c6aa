using Microsoft.Data.Sqlite;

namespace SkGroq.Usage;

/// <content>The background writer.</content>
internal sealed partial class UsageLedger
{
    private async Task WriteLoopAsync()
    {
        var batch = new List<UsageRecord>(BatchSize);
        while (await _queue!.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out object? item))
            {
                if (item is UsageRecord record)
                {
                    batch.Add(record);
                }
                else if (item is TaskCompletionSource flushed)
                {
                    // Everything queued before the marker is written before the flush completes.
                    WriteBatch(batch);
                    flushed.TrySetResult();
                }
            }

            WriteBatch(batch);
        }
    }

    private void WriteBatch(List<UsageRecord> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            _store!.Append(batch);
            Interlocked.Add(ref _written, batch.Count);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            long dropped = Interlocked.Add(ref _dropped, batch.Count);
            _metrics?.RecordDropped(batch.Count);
            Log.WriteFailed(_logger, batch.Count, _store!.Location, dropped, ex);
        }

        batch.Clear();
    }
}
