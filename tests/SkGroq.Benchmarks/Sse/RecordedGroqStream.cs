using System.Text;

namespace SkGroq.Benchmarks.Sse;

/// <summary>A Groq stream built from recorded chunks (docs/GROQ-API.md §9 (c) and (g)): first chunk, N content chunks, finish chunk with both usages, include_usage chunk, [DONE].</summary>
internal static class RecordedGroqStream
{
    private const string First = """data: {"id":"chatcmpl-8087db6b-4c33-4e5e-ba30-a85377c54ccc","object":"chat.completion.chunk","created":1786530508,"model":"openai/gpt-oss-20b","system_fingerprint":"fp_ef00694abe","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"x_groq":{"id":"req_01kztr8bqme32rx8ttyjtpk0nw","seed":91721220}}""";

    private const string Content = """data: {"id":"chatcmpl-fd87720a-9b48-4161-bcd7-6127bd0d3696","object":"chat.completion.chunk","created":1771438842,"model":"openai/gpt-oss-120b","system_fingerprint":"fp_c82faf3ca0","choices":[{"index":0,"delta":{"content":"{0}"},"logprobs":null,"finish_reason":null}]}""";

    private const string Finish = """data: {"id":"chatcmpl-8087db6b-4c33-4e5e-ba30-a85377c54ccc","object":"chat.completion.chunk","created":1786530508,"model":"openai/gpt-oss-20b","system_fingerprint":"fp_ef00694abe","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"x_groq":{"id":"req_01kztr8bqme32rx8ttyjtpk0nw","usage":{"queue_time":0.017371826,"prompt_tokens":75,"prompt_time":0.003517995,"completion_tokens":1,"completion_time":0.001015726,"total_tokens":76,"total_time":0.004533721}},"usage":{"queue_time":0.017371826,"prompt_tokens":75,"prompt_time":0.003517995,"completion_tokens":1,"completion_time":0.001015726,"total_tokens":76,"total_time":0.004533721}}""";

    private const string IncludeUsage = """data: {"id":"chatcmpl-8087db6b-4c33-4e5e-ba30-a85377c54ccc","object":"chat.completion.chunk","created":1786530508,"model":"openai/gpt-oss-20b","system_fingerprint":"fp_ef00694abe","choices":[],"usage":{"queue_time":0.017371826,"prompt_tokens":75,"prompt_time":0.003517995,"completion_tokens":1,"completion_time":0.001015726,"total_tokens":76,"total_time":0.004533721},"service_tier":"on_demand"}""";

    private static readonly string[] s_words = ["maybe", " the", " answer", " is", " 42", ",", " caf\\u00e9", " \\\"quoted\\\"", "\\n", " and"];

    /// <summary>Builds the stream; each frame is returned separately, as a network read would deliver it.</summary>
    public static byte[][] Frames(int contentChunks)
    {
        var frames = new List<byte[]> { Frame(First) };
        for (int i = 0; i < contentChunks; i++)
        {
            frames.Add(Frame(Content.Replace("{0}", s_words[i % s_words.Length], StringComparison.Ordinal)));
        }

        frames.Add(Frame(Finish));
        frames.Add(Frame(IncludeUsage));
        frames.Add(Frame("data: [DONE]"));
        return [.. frames];
    }

    private static byte[] Frame(string data) => Encoding.UTF8.GetBytes(data + "\n\n");
}
