namespace SkGroq.Emulator.Hosting;

/// <summary>The emulator's log messages (source-generated). Prompts, answers and keys are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "EmulatorStarted", Level = LogLevel.Information, Message = "Groq emulator listening on {BaseUrl}")]
    public static partial void Started(ILogger logger, Uri baseUrl);

    [LoggerMessage(EventId = 2, EventName = "RequestCompleted", Level = LogLevel.Debug, Message = "{RequestId} {Model} stream={Stream} -> {Status} prompt={PromptTokens} completion={CompletionTokens} finish={FinishReason}")]
    public static partial void Completed(ILogger logger, string requestId, string model, bool stream, int status, int promptTokens, int completionTokens, string finishReason);

    [LoggerMessage(EventId = 3, EventName = "RequestRefused", Level = LogLevel.Debug, Message = "{RequestId} {Model} -> {Status} {Code}")]
    public static partial void Refused(ILogger logger, string requestId, string? model, int status, string? code);

    [LoggerMessage(EventId = 4, EventName = "FaultInjected", Level = LogLevel.Information, Message = "{RequestId} {Model}: injecting fault {Fault}")]
    public static partial void FaultInjected(ILogger logger, string requestId, string? model, Faults.EmulatorFault fault);

    [LoggerMessage(EventId = 5, EventName = "StreamIncomplete", Level = LogLevel.Debug, Message = "{RequestId} {Model}: stream ended early ({Reason})")]
    public static partial void Incomplete(ILogger logger, string requestId, string model, string reason);

    [LoggerMessage(EventId = 6, EventName = "ScriptFailed", Level = LogLevel.Warning, Message = "{RequestId}: a script predicate threw; answering 500")]
    public static partial void ScriptFailed(ILogger logger, Exception exception, string requestId);
}
