using Microsoft.Extensions.Logging;
using SkGroq.Http;

namespace SkGroq.RateLimiting;

/// <summary>The rate limiter's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Request for {Model} waited {WaitMilliseconds:0} ms in the queue; {Limit} bound the wait", EventName = "QuotaWaited")]
    public static partial void Waited(ILogger logger, string model, double waitMilliseconds, string limit);

    [LoggerMessage(2, LogLevel.Warning, "Request for {Model} not admitted before its deadline ({Limit}, frees in {FreesInSeconds:0.0} s): {Reason}", EventName = "QuotaTimeout")]
    public static partial void Timeout(ILogger logger, string model, string limit, double freesInSeconds, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Request for {Model} refused: {MaxQueueLength} requests already wait for quota", EventName = "QuotaQueueFull")]
    public static partial void QueueFull(ILogger logger, string model, int maxQueueLength);

    [LoggerMessage(4, LogLevel.Warning, "Request for {Model} refused before sending: it needs {Requested} tokens, above the {Limit} limit of {LimitValue}", EventName = "QuotaRequestTooLarge")]
    public static partial void TooLarge(ILogger logger, string model, long? requested, string limit, long? limitValue);

    [LoggerMessage(5, LogLevel.Warning, "Request for {Model} refused before sending: about {Requested} tokens do not fit the {ContextWindow}-token context window", EventName = "QuotaContextLengthExceeded")]
    public static partial void ContextLengthExceeded(ILogger logger, string model, long requested, int contextWindow);

    [LoggerMessage(6, LogLevel.Warning, "Groq rejected a request for {Model} on {Limit} (429); admissions for the model pause for {PauseMilliseconds:0} ms", EventName = "QuotaServerRejected")]
    public static partial void ServerRejected(ILogger logger, string model, string limit, double pauseMilliseconds);

    [LoggerMessage(7, LogLevel.Error, "Settling the quota reservation of a request for {Model} failed; the reservation refills with time", EventName = "QuotaSettleFailed")]
    public static partial void SettleFailed(ILogger logger, string model, Exception exception);

    [LoggerMessage(8, LogLevel.Trace, "Settled a reservation of {Reserved} tokens on {Model} to {Actual} tokens ({Outcome})", EventName = "QuotaSettled")]
    public static partial void Settled(ILogger logger, string model, long reserved, long actual, ResponseEndKind outcome);

    [LoggerMessage(9, LogLevel.Warning, "Request for {Model} refused before sending: max tokens {Requested} is above the model's maximum of {MaxCompletionTokens}", EventName = "QuotaMaxTokensAboveModelMaximum")]
    public static partial void MaxTokensAboveModelMaximum(ILogger logger, string model, int requested, int maxCompletionTokens);
}
