using Microsoft.Extensions.Logging;

namespace SkGroq.Usage.Tracking;

/// <summary>Log messages of usage tracking.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, EventName = "UsageRecorded", Level = LogLevel.Debug,
        Message = "Usage of {Model}: {Outcome} {ErrorKind}, prompt {PromptTokens}, completion {CompletionTokens}, cost {Cost}, request {RequestId}, {Attempts} attempt(s), {Duration}.")]
    public static partial void UsageRecorded(ILogger logger, string model, UsageOutcome outcome, string? errorKind, long? promptTokens, long? completionTokens, decimal? cost, string? requestId, int attempts, TimeSpan duration);

    [LoggerMessage(EventId = 4002, EventName = "RecordingFailed", Level = LogLevel.Error,
        Message = "The usage record of a request to {Model} could not be made; its usage is missing from the ledger.")]
    public static partial void RecordingFailed(ILogger logger, string model, Exception exception);
}
