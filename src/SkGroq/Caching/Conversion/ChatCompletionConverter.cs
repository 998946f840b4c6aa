using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
namespace SkGroq.Caching.Conversion;

/// <summary>
/// Converts between Groq's two shapes of one answer (docs/GROQ-API.md §3, §4): a <c>chat.completion</c> JSON body and the data
/// payloads of a <c>chat.completion.chunk</c> stream, so a stored answer serves both streaming and non-streaming requests.
/// </summary>
/// <remarks>
/// Pure logic. JSON → chunks gives the recorded sequence: a role chunk (with <c>x_groq.id</c>), a reasoning chunk, a content
/// chunk, one chunk per tool call, a finish chunk carrying <c>usage</c> and <c>x_groq.usage</c>, and the usage-only chunk
/// that <c>stream_options.include_usage</c> asks for. Chunks → JSON joins the deltas (content, reasoning, tool-call
/// arguments by index) into one message. Values (ids, <c>created</c>, usage objects) are copied as Groq wrote them.
/// </remarks>
internal static partial class ChatCompletionConverter
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>Builds the <c>chat.completion</c> body a stream's payloads add up to.</summary>
    /// <param name="chunks">The data payloads, without <c>[DONE]</c>.</param>
    /// <returns>The body.</returns>
    /// <exception cref="JsonException">A payload is not JSON.</exception>
    public static byte[] ToJson(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        StreamedAnswer answer = StreamedAnswer.Accumulate(chunks);
        return Write(writer => WriteCompletion(writer, answer));
    }

    /// <summary>Builds the usage-only chunk (<c>"choices":[]</c>) of a stream whose payloads lack one.</summary>
    /// <param name="chunks">The data payloads.</param>
    /// <returns>The payload, or <see langword="null"/> when the stream reported no usage.</returns>
    public static byte[]? UsageChunk(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        StreamedAnswer answer = StreamedAnswer.Accumulate(chunks);
        return answer.Usage is null ? null : Write(writer => WriteUsageChunk(writer, answer.Header, answer.Usage, answer.ServiceTier));
    }

    /// <summary>Gets a value indicating whether a payload is the usage-only chunk that ends an <c>include_usage</c> stream.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns><see langword="true"/> when it has <c>"choices":[]</c> and a <c>usage</c> object.</returns>
    public static bool IsUsageOnlyChunk(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        bool emptyChoices = false;
        bool usage = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isChoices = reader.ValueTextEquals("choices"u8);
                bool isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isChoices)
                {
                    emptyChoices = reader.TokenType == JsonTokenType.StartArray && reader.Read() && reader.TokenType == JsonTokenType.EndArray;
                    if (!emptyChoices)
                    {
                        return false;
                    }
                }
                else
                {
                    usage |= isUsage && reader.TokenType == JsonTokenType.StartObject;
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return emptyChoices && usage;
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeader(Utf8JsonWriter writer, ChunkHeader header, string objectType)
    {
        WriteIfPresent(writer, "id"u8, header.Id);
        writer.WriteString("object"u8, objectType);
        WriteIfPresent(writer, "created"u8, header.Created);
        WriteIfPresent(writer, "model"u8, header.Model);
        WriteIfPresent(writer, "system_fingerprint"u8, header.SystemFingerprint);
    }

    private static void WriteUsageChunk(Utf8JsonWriter writer, ChunkHeader header, JsonElement? usage, JsonElement? serviceTier)
    {
        writer.WriteStartObject();
        WriteHeader(writer, header, "chat.completion.chunk");
        writer.WriteStartArray("choices"u8);
        writer.WriteEndArray();
        WriteIfPresent(writer, "usage"u8, usage);
        WriteIfPresent(writer, "service_tier"u8, serviceTier);
        writer.WriteEndObject();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement? value)
    {
        if (value is { } element)
        {
            writer.WritePropertyName(name);
            element.WriteTo(writer);
        }
    }
}
