using System.Buffers;
using SkGroq.Inspection;
using SkGroq.Inspection.Sse;
using SkGroq.Usage;

namespace SkGroq.Caching.Stores;

/// <summary>
/// What a replay of a stored answer tells its reader — usage, model, finish reason, request id, content chunks — read once per
/// entry and shape the way the inspection handler reads Groq's answer, so an answer served from the cache is not parsed again.
/// For a stream, each fact is known from the frame that carries it on: a replay cut short reports what its reader received.
/// </summary>
internal sealed class ReplayFacts
{
    private const int Never = int.MaxValue;
    private readonly int[] _contentChunksAfter;
    private readonly int _usageFrame;
    private readonly int _modelFrame;
    private readonly int _finishFrame;
    private readonly int _requestIdFrame;

    private ReplayFacts(int[] contentChunksAfter, int firstContentFrame, (GroqUsage? Value, int Frame) usage, (string? Value, int Frame) model, (string? Value, int Frame) finish, (string? Value, int Frame) requestId)
    {
        _contentChunksAfter = contentChunksAfter;
        FirstContentFrame = firstContentFrame;
        (Usage, _usageFrame) = usage;
        (Model, _modelFrame) = model;
        (FinishReason, _finishFrame) = finish;
        (RequestId, _requestIdFrame) = requestId;
    }

    /// <summary>Gets the number of frames (one for a JSON body; the payloads of a stream, without <c>[DONE]</c>).</summary>
    public int Frames => _contentChunksAfter.Length;

    /// <summary>Gets the index of the frame that carries the first content, or <see cref="int.MaxValue"/> when none does.</summary>
    public int FirstContentFrame { get; }

    /// <summary>Gets the usage the whole answer reports.</summary>
    public GroqUsage? Usage { get; }

    /// <summary>Gets the model that answered.</summary>
    public string? Model { get; }

    /// <summary>Gets the finish reason.</summary>
    public string? FinishReason { get; }

    /// <summary>Gets Groq's request id of the original answer (<c>x_groq.id</c>).</summary>
    public string? RequestId { get; }

    /// <summary>Gets the facts of a JSON body.</summary>
    /// <param name="json">The <c>chat.completion</c> body.</param>
    /// <returns>The facts.</returns>
    /// <exception cref="InvalidDataException">The body is not a chat completion (a stored answer always is).</exception>
    public static ReplayFacts OfJson(ReadOnlySpan<byte> json)
    {
        ChatCompletionSummary summary = ChatCompletionBody.Read(json) ?? throw new InvalidDataException("A stored answer is not a chat completion.");
        return new ReplayFacts([summary.HasContent ? 1 : 0], summary.HasContent ? 0 : Never, (summary.Usage, 0), (summary.Model, 0), (summary.FinishReason, 0), (summary.RequestId, 0));
    }

    /// <summary>Gets the facts of a stream's payloads, frame by frame.</summary>
    /// <param name="payloads">The payloads as they are replayed, without <c>[DONE]</c>.</param>
    /// <returns>The facts.</returns>
    public static ReplayFacts OfStream(ReadOnlySpan<ReadOnlyMemory<byte>> payloads)
    {
        int[] contentAfter = new int[payloads.Length];
        int firstContent = Never;
        (GroqUsage? Value, int Frame) usage = (null, Never);
        (string? Value, int Frame) model = (null, Never);
        (string? Value, int Frame) finish = (null, Never);
        (string? Value, int Frame) requestId = (null, Never);
        using var tap = new GroqStreamTap();
        var frame = new ArrayBufferWriter<byte>();
        for (int i = 0; i < payloads.Length; i++)
        {
            frame.ResetWrittenCount();
            frame.Write("data: "u8);
            frame.Write(payloads[i].Span);
            frame.Write("\n\n"u8);
            if (tap.Feed(frame.WrittenSpan).FirstContent)
            {
                firstContent = i;
            }

            contentAfter[i] = tap.ContentChunks;
            Learn(ref usage, tap.Usage, i);
            Learn(ref model, tap.Model, i);
            Learn(ref finish, tap.FinishReason, i);
            Learn(ref requestId, tap.RequestId, i);
        }

        // The last finish reason counts, as the tap keeps it.
        finish.Value = tap.FinishReason;
        return new ReplayFacts(contentAfter, firstContent, usage, model, finish, requestId);
    }

    /// <summary>Gets the number of content chunks in the first <paramref name="frames"/> frames.</summary>
    /// <param name="frames">How many frames the reader received.</param>
    /// <returns>The count.</returns>
    public int ContentChunks(int frames) => frames <= 0 ? 0 : _contentChunksAfter[Math.Min(frames, Frames) - 1];

    /// <summary>Gets the usage, when the first <paramref name="frames"/> frames carried it.</summary>
    /// <param name="frames">How many frames the reader received.</param>
    /// <returns>The usage, or <see langword="null"/>.</returns>
    public GroqUsage? UsageAfter(int frames) => frames > _usageFrame ? Usage : null;

    /// <summary>Gets the model, when the first <paramref name="frames"/> frames named it.</summary>
    /// <param name="frames">How many frames the reader received.</param>
    /// <returns>The model, or <see langword="null"/>.</returns>
    public string? ModelAfter(int frames) => frames > _modelFrame ? Model : null;

    /// <summary>Gets the finish reason, when the first <paramref name="frames"/> frames carried one.</summary>
    /// <param name="frames">How many frames the reader received.</param>
    /// <returns>The finish reason, or <see langword="null"/>.</returns>
    public string? FinishReasonAfter(int frames) => frames > _finishFrame ? FinishReason : null;

    /// <summary>Gets the request id, when the first <paramref name="frames"/> frames carried it.</summary>
    /// <param name="frames">How many frames the reader received.</param>
    /// <returns>The request id, or <see langword="null"/>.</returns>
    public string? RequestIdAfter(int frames) => frames > _requestIdFrame ? RequestId : null;

    private static void Learn<T>(ref (T? Value, int Frame) fact, T? value, int frame)
    {
        if (fact.Frame == Never && value is not null)
        {
            fact = (value, frame);
        }
    }
}
