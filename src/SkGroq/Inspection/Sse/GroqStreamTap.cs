using System.Text;
using System.Text.Json;

using SkGroq.Usage;

namespace SkGroq.Inspection.Sse;

/// <summary>
/// Watches a Groq chat-completion SSE stream go by, piece by piece, and learns what the caller will not tell us: usage,
/// model, finish reason, request id, first content, the text so far, and mid-stream errors (docs/GROQ-API.md §4).
/// </summary>
/// <remarks>
/// Pure logic: no I/O, no clock. Ordinary content chunks are recognised by a byte-level scan of their <c>delta</c>, with no
/// allocation; only frames that mention <c>"usage"</c>, <c>"error"</c> or <c>"x_groq"</c> (and the first chunk, for the
/// model) are read with <see cref="Utf8JsonReader"/>. Usage is taken once: from <c>usage</c> (else <c>x_groq.usage</c>) of
/// the first chunk carrying either, so the finish chunk's pair and the include_usage chunk's repeat are never added twice.
/// The text is kept as the raw (still JSON-escaped) bytes of the <c>content</c> strings in a pooled buffer and decoded only
/// when someone asks for it.
/// </remarks>
internal sealed partial class GroqStreamTap : IDisposable
{
    private readonly SseFrameScanner _scanner = new();
    private readonly string? _requestedModel;
    private PooledBytes _text;
    private byte[]? _errorJson;

    /// <summary>Initializes a new instance of the <see cref="GroqStreamTap"/> class.</summary>
    /// <param name="requestedModel">The model the request named: when the chunks name the same one, <see cref="Model"/> is this very string rather than a copy per stream.</param>
    public GroqStreamTap(string? requestedModel = null)
    {
        _requestedModel = requestedModel;
    }

    /// <summary>Gets the <c>model</c> of the chunks.</summary>
    public string? Model { get; private set; }

    /// <summary>Gets Groq's request id (<c>x_groq.id</c>).</summary>
    public string? RequestId { get; private set; }

    /// <summary>Gets the last non-null <c>finish_reason</c>.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>Gets the usage Groq reported, counted once.</summary>
    public GroqUsage? Usage { get; private set; }

    /// <summary>Gets the number of chunks that carried text, reasoning or tool calls.</summary>
    public int ContentChunks { get; private set; }

    /// <summary>Gets a value indicating whether <c>data: [DONE]</c> went by.</summary>
    public bool Done { get; private set; }

    /// <summary>Gets which error frame ended the stream, if any.</summary>
    public GroqStreamErrorKind ErrorKind { get; private set; }

    /// <summary>Gets the error frame's JSON (<c>{"error":{…}}</c>) for <see cref="GroqStreamErrorKind.ErrorEvent"/> and <see cref="GroqStreamErrorKind.ErrorData"/>.</summary>
    public ReadOnlySpan<byte> ErrorJson => _errorJson;

    /// <summary>Gets <c>x_groq.error</c> for <see cref="GroqStreamErrorKind.XGroqError"/>.</summary>
    public string? XGroqError { get; private set; }

    /// <summary>Gets the number of raw (JSON-escaped) text bytes received so far.</summary>
    public int RawTextLength => _text.Length;

    /// <summary>Scans the next piece of the stream.</summary>
    /// <param name="input">The bytes just read from the network.</param>
    /// <returns>What to pass on and what happened.</returns>
    public GroqTapResult Feed(ReadOnlySpan<byte> input)
    {
        if (Done || ErrorKind != GroqStreamErrorKind.None)
        {
            // After [DONE] the rest goes through untouched; after an error nothing more is read.
            return new GroqTapResult(input.Length, false, false, false);
        }

        bool firstContent = false;
        int offset = 0;
        while (_scanner.TryReadFrame(input, ref offset, out SseFrame frame))
        {
            GroqChunkKind kind = frame.EventType.IsEmpty || frame.EventType.SequenceEqual("message"u8)
                ? OnData(frame.Data)
                : frame.EventType.SequenceEqual("error"u8) ? OnErrorEvent(frame.Data) : GroqChunkKind.Other;
            switch (kind)
            {
                case GroqChunkKind.Content:
                    firstContent |= ContentChunks == 1;
                    break;
                case GroqChunkKind.Done:
                    Done = true;
                    return new GroqTapResult(input.Length, firstContent, true, false);
                case GroqChunkKind.Error:
                    // The error frame is not passed on: the reader gets what came before it, then the exception.
                    return new GroqTapResult(Math.Max(frame.StartOffset, 0), firstContent, false, true);
            }
        }

        return new GroqTapResult(input.Length, firstContent, false, false);
    }

    /// <summary>Decodes the text received so far.</summary>
    /// <returns>The text.</returns>
    public string DecodeText()
    {
        if (_text.Length == 0)
        {
            return string.Empty;
        }

        // The concatenated contents of JSON strings are themselves valid JSON string content (escapes never straddle
        // two strings), so one decode of "…" gives the text, surrogate pairs split across chunks included.
        byte[] quoted = new byte[_text.Length + 2];
        quoted[0] = (byte)'"';
        _text.WrittenSpan.CopyTo(quoted.AsSpan(1));
        quoted[^1] = (byte)'"';
        try
        {
            var reader = new Utf8JsonReader(quoted);
            return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() ?? string.Empty : Encoding.UTF8.GetString(_text.WrittenSpan);
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetString(_text.WrittenSpan);
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(_text.WrittenSpan);
        }
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        _scanner.Dispose();
        _text.Dispose();
    }

    private GroqChunkKind OnErrorEvent(ReadOnlySpan<byte> data)
    {
        ErrorKind = GroqStreamErrorKind.ErrorEvent;
        _errorJson = data.ToArray();
        return GroqChunkKind.Error;
    }

    private GroqChunkKind OnData(ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return GroqChunkKind.Done;
        }

        if (Model is not null
            && data.IndexOf("\"usage\""u8) < 0
            && data.IndexOf("\"x_groq\""u8) < 0
            && data.IndexOf("\"error\""u8) < 0
            && TryScanContentChunk(data, out GroqChunkKind fast))
        {
            return fast;
        }

        return ParseChunk(data);
    }
}
