using Microsoft.Extensions.Logging;
using SkGroq.Http;

namespace SkGroq.Inspection;

/// <summary>Log messages of response inspection.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, EventName = "FirstByteTimeout", Level = LogLevel.Warning,
        Message = "No response byte from Groq for model {Model} within {Timeout} (attempt {Attempt}).")]
    public static partial void FirstByteTimeout(ILogger logger, string? model, TimeSpan timeout, int attempt);

    [LoggerMessage(EventId = 6002, EventName = "ConnectionFailed", Level = LogLevel.Warning,
        Message = "Could not reach {Host} for model {Model} (attempt {Attempt}): {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string host, string? model, int attempt, string reason);

    [LoggerMessage(EventId = 6003, EventName = "ErrorResponse", Level = LogLevel.Information,
        Message = "Groq answered {StatusCode} ({Kind}) for model {Model}, request {RequestId} (attempt {Attempt}).")]
    public static partial void ErrorResponse(ILogger logger, int statusCode, string kind, string? model, string? requestId, int attempt);

    [LoggerMessage(EventId = 6004, EventName = "InvalidResponse", Level = LogLevel.Warning,
        Message = "The server answered 200 for model {Model} with a body that is not Groq's API ({MediaType}).")]
    public static partial void InvalidResponse(ILogger logger, string? model, string? mediaType);

    [LoggerMessage(EventId = 6005, EventName = "StreamEnded", Level = LogLevel.Debug,
        Message = "Groq stream for model {Model} ended {Kind} after {ContentChunks} content chunks, request {RequestId}.")]
    public static partial void StreamEnded(ILogger logger, string? model, ResponseEndKind kind, int contentChunks, string? requestId);

    [LoggerMessage(EventId = 6006, EventName = "StreamFailed", Level = LogLevel.Warning,
        Message = "Groq stream for model {Model} failed ({ErrorKind}) after {ContentChunks} content chunks, request {RequestId}.")]
    public static partial void StreamFailed(ILogger logger, string? model, string errorKind, int contentChunks, string? requestId);
}
