using Microsoft.Extensions.Logging;

namespace SkGroq.Resilience;

/// <summary>Log messages of retries, circuit breakers and model fallback.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, EventName = "FallingBack", Level = LogLevel.Information,
        Message = "Model {Model} failed ({Reason}); falling back to {NextModel}.")]
    public static partial void FallingBack(ILogger logger, string model, string reason, string nextModel);

    [LoggerMessage(EventId = 3002, EventName = "FallbackExhausted", Level = LogLevel.Warning,
        Message = "Every model of the fallback chain of {Model} failed ({Count} models tried).")]
    public static partial void FallbackExhausted(ILogger logger, string model, int count);

    [LoggerMessage(EventId = 3003, EventName = "FlexToOnDemand", Level = LogLevel.Information,
        Message = "Flex-tier capacity for {Model} is exceeded (498); sending the request again as on_demand.")]
    public static partial void FlexToOnDemand(ILogger logger, string model);

    [LoggerMessage(EventId = 3004, EventName = "FallbackSkippedDeadline", Level = LogLevel.Information,
        Message = "Model {Model} failed ({Reason}); no fallback to {NextModel}: the request's deadline has passed.")]
    public static partial void FallbackSkippedDeadline(ILogger logger, string model, string reason, string nextModel);

    [LoggerMessage(EventId = 3101, EventName = "Retrying", Level = LogLevel.Information,
        Message = "Model {Model} failed ({Reason}) on attempt {Attempt}; retrying in {Delay}.")]
    public static partial void Retrying(ILogger logger, string model, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3102, EventName = "RetryPastDeadline", Level = LogLevel.Information,
        Message = "Model {Model} failed ({Reason}); not retrying: waiting {Delay} would end after the request's deadline.")]
    public static partial void RetryPastDeadline(ILogger logger, string model, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3103, EventName = "DeadlineExceeded", Level = LogLevel.Warning,
        Message = "The request for model {Model} passed its deadline of {Timeout} after {Attempts} attempts.")]
    public static partial void DeadlineExceeded(ILogger logger, string model, TimeSpan timeout, int attempts);

    [LoggerMessage(EventId = 3104, EventName = "CircuitOpened", Level = LogLevel.Warning,
        Message = "Circuit of model {Model} opened for {BreakDuration} after repeated failures (last: {Reason}).")]
    public static partial void CircuitOpened(ILogger logger, string model, TimeSpan breakDuration, string reason);

    [LoggerMessage(EventId = 3105, EventName = "CircuitHalfOpened", Level = LogLevel.Information,
        Message = "Circuit of model {Model} is half-open: the next request probes the model.")]
    public static partial void CircuitHalfOpened(ILogger logger, string model);

    [LoggerMessage(EventId = 3106, EventName = "CircuitClosed", Level = LogLevel.Information,
        Message = "Circuit of model {Model} closed: the model answers again.")]
    public static partial void CircuitClosed(ILogger logger, string model);

    [LoggerMessage(EventId = 3107, EventName = "CircuitRejected", Level = LogLevel.Debug,
        Message = "Not sending to model {Model}: its circuit is open for {RetryAfter} more.")]
    public static partial void CircuitRejected(ILogger logger, string model, TimeSpan? retryAfter);
}
