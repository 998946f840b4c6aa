using Microsoft.Extensions.Logging;

namespace SkGroq.Usage;

/// <summary>Log messages of the usage ledger.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4101, EventName = "LedgerQueueFull", Level = LogLevel.Error,
        Message = "The usage ledger's write queue is full ({Capacity} records waiting for {Location}): a record of {Model} (request {RequestId}) is kept in memory only and NOT persisted; {Dropped} record(s) dropped so far. The database is too slow or stuck; check the disk, or raise Groq:Usage:WriteQueueCapacity.")]
    public static partial void QueueFull(ILogger logger, int capacity, string location, string model, string? requestId, long dropped);

    [LoggerMessage(EventId = 4102, EventName = "LedgerWriteFailed", Level = LogLevel.Error,
        Message = "{Count} usage record(s) could NOT be written to {Location} and are kept in memory only; {Dropped} record(s) dropped so far. Check that the file is writable, or set Groq:Usage:DatabasePath (GROQ_USAGE_DB).")]
    public static partial void WriteFailed(ILogger logger, int count, string location, long dropped, Exception exception);

    [LoggerMessage(EventId = 4103, EventName = "LedgerRecordAfterDispose", Level = LogLevel.Error,
        Message = "A usage record of {Model} (request {RequestId}) arrived after the ledger was closed and is NOT persisted.")]
    public static partial void RecordAfterDispose(ILogger logger, string model, string? requestId);

    [LoggerMessage(EventId = 4104, EventName = "LedgerFlushTimedOut", Level = LogLevel.Error,
        Message = "The usage ledger could not write its last records to {Location} within {Timeout} while closing; {Pending} record(s) may be lost.")]
    public static partial void FlushTimedOut(ILogger logger, string location, TimeSpan timeout, long pending);

    [LoggerMessage(EventId = 4105, EventName = "LedgerOpened", Level = LogLevel.Debug,
        Message = "Usage ledger persists to {Location}.")]
    public static partial void Opened(ILogger logger, string location);
}
