using SkGroq.Usage;

namespace SkGroq.Http;

/// <summary>What one attempt's response body turned out to contain, known once it ended.</summary>
/// <param name="Kind">How the body ended.</param>
/// <param name="Usage">The usage Groq reported (<c>usage</c> or <c>x_groq.usage</c>, counted once); <see langword="null"/> when none arrived.</param>
/// <param name="ModelAnswered">The <c>model</c> field of the answer.</param>
/// <param name="FinishReason">The finish reason.</param>
/// <param name="ContentChunks">The number of chunks that carried content (text, reasoning or tool calls).</param>
/// <param name="FirstTokenTimestamp">The <see cref="TimeProvider.GetTimestamp"/> reading when the first content arrived.</param>
/// <param name="EndTimestamp">The <see cref="TimeProvider.GetTimestamp"/> reading when the body ended.</param>
/// <param name="Error">The error that ended a <see cref="ResponseEndKind.Failed"/> body.</param>
internal sealed record ResponseOutcome(
    ResponseEndKind Kind,
    GroqUsage? Usage,
    string? ModelAnswered,
    string? FinishReason,
    int ContentChunks,
    long? FirstTokenTimestamp,
    long EndTimestamp,
    Exception? Error)
{
    /// <summary>Gets Groq's request id as the body told it (<c>x_groq.id</c>), else the <c>x-request-id</c> header.</summary>
    public string? RequestId { get; init; }
}
