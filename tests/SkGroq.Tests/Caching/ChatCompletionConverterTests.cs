using System.Text;
using System.Text.Json;
using SkGroq.Caching.Conversion;
using SkGroq.Inspection;
using SkGroq.Inspection.Sse;
using SkGroq.Tests.Inspection;

namespace SkGroq.Tests.Caching;

public sealed class ChatCompletionConverterTests
{
    [Fact]
    public void ToJson_RecordedToolCallStream_OneMessageWithTheCallAndUsage()
    {
        using JsonDocument json = JsonDocument.Parse(ChatCompletionConverter.ToJson(CachingTestData.RecordedPayloads("stream-tool-call.sse")));
        JsonElement root = json.RootElement;

        Assert.Equal("chatcmpl-b610d559-f156-4aca-8827-24b4fe6af54f", root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal(1770770843, root.GetProperty("created").GetInt64());
        Assert.Equal("llama-3.3-70b-versatile", root.GetProperty("model").GetString());
        JsonElement choice = root.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        JsonElement message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        JsonElement call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("tk85n1k4m", call.GetProperty("id").GetString());
        Assert.Equal("weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{}", call.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal(210, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(0.041520249, root.GetProperty("usage").GetProperty("queue_time").GetDouble());
        Assert.Equal("req_01kh52nj5yfcat8hrmvrk2j2hj", root.GetProperty("x_groq").GetProperty("id").GetString());
        Assert.Equal("fp_f8b414701e", root.GetProperty("system_fingerprint").GetString());
    }

    [Fact]
    public void ToJson_RecordedStreams_ReadByTheInspectionsBodyReaderLikeGroqsJson()
    {
        foreach (string name in new[] { "stream-2024.sse", "stream-include-usage.sse", "stream-reasoning.sse", "stream-tool-call.sse" })
        {
            List<ReadOnlyMemory<byte>> payloads = CachingTestData.RecordedPayloads(name);
            using var tap = new GroqStreamTap();
            tap.Feed(Encoding.UTF8.GetBytes(CachingTestData.Frame(payloads)));

            ChatCompletionSummary? summary = ChatCompletionBody.Read(ChatCompletionConverter.ToJson(payloads));

            Assert.NotNull(summary);
            Assert.Equal((tap.Model, tap.FinishReason, tap.RequestId), (summary.Model, summary.FinishReason, summary.RequestId));
            Assert.Equal(tap.Usage?.TotalTokens, summary.Usage?.TotalTokens);
            Assert.NotNull(summary.Usage);
            Assert.Null(summary.ErrorJson);
        }
    }

    [Fact]
    public void ToJson_ReasoningStream_KeepsReasoningApartFromContent()
    {
        List<ReadOnlyMemory<byte>> payloads =
        [
            Encoding.UTF8.GetBytes("""{"id":"c1","object":"chat.completion.chunk","created":5,"model":"qwen/qwen3-32b","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_1"}}"""),
            Encoding.UTF8.GetBytes("""{"id":"c1","object":"chat.completion.chunk","created":5,"model":"qwen/qwen3-32b","choices":[{"index":0,"delta":{"reasoning":"Think "},"logprobs":null,"finish_reason":null}]}"""),
            Encoding.UTF8.GetBytes("""{"id":"c1","object":"chat.completion.chunk","created":5,"model":"qwen/qwen3-32b","choices":[{"index":0,"delta":{"reasoning":"hard."},"logprobs":null,"finish_reason":null}]}"""),
            Encoding.UTF8.GetBytes("""{"id":"c1","object":"chat.completion.chunk","created":5,"model":"qwen/qwen3-32b","choices":[{"index":0,"delta":{"content":"4"},"logprobs":null,"finish_reason":null}]}"""),
            Encoding.UTF8.GetBytes("""{"id":"c1","object":"chat.completion.chunk","created":5,"model":"qwen/qwen3-32b","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"id":"req_1","usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}}"""),
        ];

        using JsonDocument json = JsonDocument.Parse(ChatCompletionConverter.ToJson(payloads));
        JsonElement message = json.RootElement.GetProperty("choices")[0].GetProperty("message");

        Assert.Equal("4", message.GetProperty("content").GetString());
        Assert.Equal("Think hard.", message.GetProperty("reasoning").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void ToJson_FragmentedToolCallArguments_JoinedByIndex()
    {
        List<ReadOnlyMemory<byte>> payloads =
        [
            Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"add","arguments":"{\"a\":"}}]}}]}"""),
            Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"neg","arguments":"{}"}}]}}]}"""),
            Encoding.UTF8.GetBytes("""{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]},"finish_reason":"tool_calls"}]}"""),
        ];

        using JsonDocument json = JsonDocument.Parse(ChatCompletionConverter.ToJson(payloads));
        JsonElement[] calls = [.. json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").EnumerateArray()];

        Assert.Equal(2, calls.Length);
        Assert.Equal(("call_a", "add", "{\"a\":1}"), (calls[0].GetProperty("id").GetString(), calls[0].GetProperty("function").GetProperty("name").GetString(), calls[0].GetProperty("function").GetProperty("arguments").GetString()));
        Assert.Equal(("call_b", "neg", "{}"), (calls[1].GetProperty("id").GetString(), calls[1].GetProperty("function").GetProperty("name").GetString(), calls[1].GetProperty("function").GetProperty("arguments").GetString()));
    }

    [Fact]
    public void ToChunks_RecordedCompletion_GroqsChunkSequence()
    {
        byte[] body = InspectionTestData.Bytes("nonstream-2026.json");

        IReadOnlyList<byte[]> chunks = ChatCompletionConverter.ToChunks(body);

        Assert.Equal(4, chunks.Count);
        using JsonDocument first = JsonDocument.Parse(chunks[0]);
        Assert.Equal("chat.completion.chunk", first.RootElement.GetProperty("object").GetString());
        Assert.Equal("assistant", first.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("req_01m48tqzdve5v8d97j7jgm40as", first.RootElement.GetProperty("x_groq").GetProperty("id").GetString());
        using JsonDocument content = JsonDocument.Parse(chunks[1]);
        Assert.Equal("Why don't scientists trust atoms?\n\nBecause they make up everything! 🧪✨", content.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
        using JsonDocument finish = JsonDocument.Parse(chunks[2]);
        Assert.Equal("stop", finish.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(35, finish.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(35, finish.RootElement.GetProperty("x_groq").GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.False(ChatCompletionConverter.IsUsageOnlyChunk(chunks[2]));
        Assert.True(ChatCompletionConverter.IsUsageOnlyChunk(chunks[3]));
        Assert.Contains("\"service_tier\":\"on_demand\"", Encoding.UTF8.GetString(chunks[3]), StringComparison.Ordinal);
    }

    [Fact]
    public void ToChunks_ThenToJson_RoundTripsTheAnswer()
    {
        byte[] body = InspectionTestData.Bytes("nonstream-2026.json");

        byte[] back = ChatCompletionConverter.ToJson([.. ChatCompletionConverter.ToChunks(body).Select(c => (ReadOnlyMemory<byte>)c)]);

        using JsonDocument original = JsonDocument.Parse(body);
        using JsonDocument roundTripped = JsonDocument.Parse(back);
        foreach (string member in new[] { "id", "object", "created", "model", "usage", "system_fingerprint", "service_tier" })
        {
            Assert.Equal(original.RootElement.GetProperty(member).GetRawText(), roundTripped.RootElement.GetProperty(member).GetRawText());
        }

        Assert.Equal(
            original.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(),
            roundTripped.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", roundTripped.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("req_01m48tqzdve5v8d97j7jgm40as", roundTripped.RootElement.GetProperty("x_groq").GetProperty("id").GetString());
    }

    [Fact]
    public void ToChunks_TappedLikeALiveStream_UsageModelAndFinishReason()
    {
        IReadOnlyList<byte[]> chunks = ChatCompletionConverter.ToChunks(InspectionTestData.Bytes("nonstream-2026.json"));
        using var tap = new GroqStreamTap();

        GroqTapResult result = tap.Feed(Encoding.UTF8.GetBytes(CachingTestData.Frame(chunks.Select(c => (ReadOnlyMemory<byte>)c))));

        Assert.True(result.Done);
        Assert.False(result.Error);
        Assert.Equal((16L, 19L), (tap.Usage?.PromptTokens, tap.Usage?.CompletionTokens));
        Assert.Equal("stop", tap.FinishReason);
        Assert.Equal("qwen/qwen3.8-27b", tap.Model);
        Assert.Equal("req_01m48tqzdve5v8d97j7jgm40as", tap.RequestId);
    }

    [Fact]
    public void ToChunks_ToolCallCompletion_NullContentThenOneChunkPerCall()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"g","arguments":"{\"x\":1}"}}]},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""");

        IReadOnlyList<byte[]> chunks = ChatCompletionConverter.ToChunks(body);
        byte[] back = ChatCompletionConverter.ToJson([.. chunks.Select(c => (ReadOnlyMemory<byte>)c)]);

        Assert.Contains("\"content\":null", Encoding.UTF8.GetString(chunks[0]), StringComparison.Ordinal);
        Assert.Equal(5, chunks.Count);
        using JsonDocument json = JsonDocument.Parse(back);
        JsonElement message = json.RootElement.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(2, message.GetProperty("tool_calls").GetArrayLength());
        Assert.Equal("{\"x\":1}", message.GetProperty("tool_calls")[1].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void UsageChunk_StreamWithoutOne_BuiltFromTheFinishChunk()
    {
        List<ReadOnlyMemory<byte>> payloads = CachingTestData.RecordedPayloads("stream-tool-call.sse");

        byte[]? usage = ChatCompletionConverter.UsageChunk(payloads);

        Assert.NotNull(usage);
        Assert.True(ChatCompletionConverter.IsUsageOnlyChunk(usage));
        using JsonDocument json = JsonDocument.Parse(usage);
        Assert.Equal(225, json.RootElement.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("chatcmpl-b610d559-f156-4aca-8827-24b4fe6af54f", json.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"choices":[],"usage":{"total_tokens":1}}""", true)]
    [InlineData("""{"choices":[{"index":0}],"usage":{"total_tokens":1}}""", false)]
    [InlineData("""{"choices":[]}""", false)]
    [InlineData("""{"usage":{"total_tokens":1}}""", false)]
    [InlineData("not json", false)]
    public void IsUsageOnlyChunk_Shapes(string payload, bool expected)
    {
        Assert.Equal(expected, ChatCompletionConverter.IsUsageOnlyChunk(Encoding.UTF8.GetBytes(payload)));
    }
}
