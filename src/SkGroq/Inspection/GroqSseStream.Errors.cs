using SkGroq.Errors;
using SkGroq.Inspection.Sse;

namespace SkGroq.Inspection;

/// <content>The exceptions a stream ends with, each saying what happened and what to do.</content>
internal sealed partial class GroqSseStream
{
    private string? ModelName => _tap.Model ?? _model;

    private string? RequestId => _tap.RequestId ?? _observation.RequestId;

    private GroqStreamInterruptedException StreamError()
    {
        string partial = _tap.DecodeText();
        return _tap.ErrorKind == GroqStreamErrorKind.XGroqError
            ? GroqErrorParser.FromXGroqError(_tap.XGroqError ?? string.Empty, partial, ModelName, RequestId)
            : GroqErrorParser.FromStreamError(_tap.ErrorJson, partial, ModelName, RequestId);
    }

    private GroqTimeoutException Stalled(Exception cause)
    {
        string partial = _tap.DecodeText();
        return new GroqTimeoutException(
            $"Groq's stream for {Describe()} stalled: nothing arrived for {GroqErrorParser.FormatWait(_idleTimeout)} {Received(partial)}. "
            + "Ask again; if long pauses are expected (large reasoning budgets), raise Groq:Inspection:StreamIdleTimeout.",
            Details(),
            cause)
        {
            TimeoutKind = GroqTimeoutKind.StreamIdle,
            Timeout = _idleTimeout,
            PartialText = partial,
        };
    }

    private GroqStreamInterruptedException Broken(Exception cause)
    {
        string partial = _tap.DecodeText();
        return new GroqStreamInterruptedException(
            $"The connection to Groq broke while {Describe()} was streaming its answer, {Received(partial)} ({cause.Message}). Ask again.",
            Details(),
            cause)
        {
            PartialText = partial,
        };
    }

    private GroqStreamInterruptedException CutOff()
    {
        string partial = _tap.DecodeText();
        return new GroqStreamInterruptedException(
            $"Groq's stream for {Describe()} ended without its closing 'data: [DONE]': the answer was cut off {Received(partial)}. Ask again.",
            Details())
        {
            PartialText = partial,
        };
    }

    private GroqErrorDetails Details() => new() { Model = ModelName, RequestId = RequestId };

    private string Describe() => ModelName is { } model ? $"model '{model}'" : "the model";

    private static string Received(string partial)
        => partial.Length == 0 ? "before any text arrived" : $"after {partial.Length} characters of text";
}
