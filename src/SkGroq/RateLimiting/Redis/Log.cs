using Microsoft.Extensions.Logging;

using SkGroq.Redis;

namespace SkGroq.RateLimiting.Redis;

/// <summary>The log messages of the shared quota.</summary>
internal static partial class Log
{
    [LoggerMessage(4, LogLevel.Debug, "Subscribing to quota notifications in {Store} is deferred until it is reachable ({Reason}); queues wake by their timers meanwhile", EventName = "RedisSubscribeDeferred")]
    public static partial void SubscribeDeferred(ILogger logger, string store, string reason);

    [LoggerMessage(5, LogLevel.Information, "Rate-limit quota shared through {Store} under prefix {KeyPrefix}; while it is unreachable: {FallbackPolicy} with {InstanceCount} instance(s)", EventName = "SharedQuotaConfigured")]
    public static partial void SharedQuota(ILogger logger, string store, string keyPrefix, RedisFallbackPolicy fallbackPolicy, int instanceCount);

    [LoggerMessage(10, LogLevel.Warning, "The shared rate-limit quota in {Store} is unreachable ({Reason}): this instance keeps limiting on its own with 1/{InstanceCount} of each limit (Groq:Redis:FallbackPolicy = LocalShare, Groq:Redis:InstanceCount = {InstanceCount}). It rejoins by itself when Redis is back; check that Redis is running", EventName = "SharedQuotaLocalShare")]
    public static partial void LocalShare(ILogger logger, string store, string reason, int instanceCount);

    [LoggerMessage(11, LogLevel.Warning, "The shared rate-limit quota in {Store} is unreachable ({Reason}): chat requests fail until it is back (Groq:Redis:FallbackPolicy = FailClosed); check that Redis is running", EventName = "SharedQuotaFailClosed")]
    public static partial void FailClosed(ILogger logger, string store, string reason);

    [LoggerMessage(12, LogLevel.Information, "The shared rate-limit quota in {Store} is reachable again: merged the local usage of {Keys} model(s), replayed {Pending} settlement(s); the local share still applies for {RejoinSeconds} s", EventName = "SharedQuotaRejoined")]
    public static partial void Rejoined(ILogger logger, string store, int keys, int pending, double rejoinSeconds);

    [LoggerMessage(13, LogLevel.Information, "The shared rate-limit quota in {Store} applies alone again", EventName = "SharedQuotaResumed")]
    public static partial void SharedResumed(ILogger logger, string store);

    [LoggerMessage(14, LogLevel.Debug, "Merging the local usage into {Store} failed ({Reason}); staying on the local share and trying again on a later request", EventName = "SharedQuotaRejoinFailed")]
    public static partial void RejoinFailed(ILogger logger, string store, string reason);

    [LoggerMessage(15, LogLevel.Error, "Merging the local usage into {Store} failed; staying on the local share and trying again on a later request", EventName = "SharedQuotaRejoinError")]
    public static partial void RejoinError(ILogger logger, string store, Exception exception);
}
