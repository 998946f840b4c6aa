using Microsoft.Extensions.Logging;

namespace SkGroq.Tokens;

/// <summary>Log messages of token counting.</summary>
internal static partial class TokensLog
{
    [LoggerMessage(EventId = 4001, EventName = "MalformedRequestBody", Level = LogLevel.Warning,
        Message = "The request body for model {Model} is not a valid chat-completion request ({Reason}); its prompt tokens were estimated from the body's raw text.")]
    public static partial void MalformedRequestBody(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 4002, EventName = "CorrectionLearned", Level = LogLevel.Debug,
        Message = "Prompt tokens for {Model} (feature {Feature}): estimated {Estimated}, reported {Reported}.")]
    public static partial void Observed(ILogger logger, string model, string? feature, long estimated, long reported);
}
