using Microsoft.Extensions.Logging;

namespace SkGroq.Caching;

/// <summary>The response cache's log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Answered a request for {Model} from the response cache (stored {AgeSeconds:0} s ago, {Source})", EventName = "CacheHit")]
    public static partial void Hit(ILogger logger, string? model, double ageSeconds, string source);

    [LoggerMessage(2, LogLevel.Debug, "No fresh cached answer for a request for {Model}; asking Groq", EventName = "CacheMiss")]
    public static partial void Miss(ILogger logger, string? model);

    [LoggerMessage(3, LogLevel.Debug, "Stored the answer of {Model} in the {Store} response cache ({Bytes} bytes, {Kind})", EventName = "CacheStored")]
    public static partial void Stored(ILogger logger, string? model, string store, long bytes, string kind);

    [LoggerMessage(4, LogLevel.Debug, "The answer of {Model} was not stored: {Reason}", EventName = "CacheNotStored")]
    public static partial void NotStored(ILogger logger, string? model, string reason);

    [LoggerMessage(5, LogLevel.Debug, "A request for {Model} found no shared answer from an identical request in flight ({Reason}); asking Groq itself", EventName = "CacheFollowerOnItsOwn")]
    public static partial void FollowerOnItsOwn(ILogger logger, string? model, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Groq could not answer a request for {Model} ({ErrorKind}); served a stale cached answer stored {AgeMinutes:0} min ago", EventName = "CacheServedStale")]
    public static partial void ServedStale(ILogger logger, string? model, string errorKind, double ageMinutes);

    [LoggerMessage(7, LogLevel.Warning, "Reading the {Store} response cache failed; treating the request as a miss", EventName = "CacheReadFailed")]
    public static partial void ReadFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Writing to the {Store} response cache failed; the answer was delivered but not stored", EventName = "CacheWriteFailed")]
    public static partial void WriteFailed(ILogger logger, string store, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Cleared the {Store} response cache ({Entries} entries)", EventName = "CacheCleared")]
    public static partial void Cleared(ILogger logger, string store, string entries);

    [LoggerMessage(10, LogLevel.Debug, "Request for {Model} not cached: its body is not a JSON object", EventName = "CacheUnreadableRequest")]
    public static partial void UnreadableRequest(ILogger logger, string? model);
}
