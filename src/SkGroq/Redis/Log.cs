using Microsoft.Extensions.Logging;

namespace SkGroq.Redis;

/// <summary>The log messages of the Redis connection.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Lost the connection to Redis at {Endpoint} ({FailureType}: {Reason}); reconnecting", EventName = "RedisConnectionFailed")]
    public static partial void ConnectionFailed(ILogger logger, string endpoint, string failureType, string reason);

    [LoggerMessage(2, LogLevel.Information, "Reconnected to Redis at {Endpoint}", EventName = "RedisConnectionRestored")]
    public static partial void ConnectionRestored(ILogger logger, string endpoint);

    [LoggerMessage(3, LogLevel.Warning, "Redis at {Endpoint} is not reachable yet; connecting in the background", EventName = "RedisNotConnected")]
    public static partial void NotConnectedAtStart(ILogger logger, string endpoint);
}
