using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using SkGroq.Emulator.Chat;

namespace SkGroq.Emulator.Wire;

/// <summary>Writes Groq's SSE frames (<c>data: {json}\n\n</c>, <c>event: error</c>, <c>data: [DONE]</c>) straight into the response pipe.</summary>
internal sealed class SseWriter : IDisposable
{
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;

    public SseWriter(PipeWriter pipe)
    {
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe, JsonWriting.Options);
    }

    public void RoleChunk(CompletionHeader header, bool contentNull)
    {
        Begin();
        CompletionJson.WriteRoleChunk(_json, header, contentNull);
        End();
    }

    public void DeltaChunk(CompletionHeader header, ReadOnlySpan<char> text, bool reasoning, bool channel)
    {
        Begin();
        CompletionJson.WriteDeltaChunk(_json, header, text, reasoning, channel);
        End();
    }

    public void ToolCallChunk(CompletionHeader header, PlannedToolCall call, int index)
    {
        Begin();
        CompletionJson.WriteToolCallChunk(_json, header, call, index);
        End();
    }

    public void FinishChunk(CompletionHeader header, string finishReason, in UsageNumbers usage, bool topLevelUsage)
    {
        Begin();
        CompletionJson.WriteFinishChunk(_json, header, finishReason, usage, topLevelUsage);
        End();
    }

    public void UsageChunk(CompletionHeader header, in UsageNumbers usage, bool serviceTier)
    {
        Begin();
        CompletionJson.WriteUsageChunk(_json, header, usage, serviceTier);
        End();
    }

    public void XGroqErrorChunk(CompletionHeader header, string error)
    {
        Begin();
        CompletionJson.WriteXGroqErrorChunk(_json, header, error);
        End();
    }

    /// <summary><c>event: error</c> + <c>data: {"error":{…,"status_code":N}}</c> (recorded), or the data-only form the SDKs also handle.</summary>
    public void ErrorFrame(ApiError error, bool asEvent)
    {
        if (asEvent)
        {
            _pipe.Write("event: error\n"u8);
        }

        Begin();
        CompletionJson.WriteError(_json, error, withStatusCode: true);
        End();
    }

    public void Done() => _pipe.Write("data: [DONE]\n\n"u8);

    public void Dispose() => _json.Dispose();

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => _pipe.FlushAsync(cancellationToken);

    private void Begin() => _pipe.Write("data: "u8);

    private void End()
    {
        _json.Flush();
        _json.Reset(_pipe);
        _pipe.Write("\n\n"u8);
    }
}
