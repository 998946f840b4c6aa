using System.Text;

namespace SkGroq.Tests.Inspection;

/// <summary>Recorded Groq bodies (docs/GROQ-API.md §9) under TestData/inspection-*.</summary>
internal static class InspectionTestData
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "inspection-" + name));

    public static string Text(string name) => Encoding.UTF8.GetString(Bytes(name));

    /// <summary>A Groq-shaped content chunk frame.</summary>
    public static string ContentChunk(string escapedContent, string model = "openai/gpt-oss-120b")
        => $"data: {{\"id\":\"chatcmpl-fd87720a-9b48-4161-bcd7-6127bd0d3696\",\"object\":\"chat.completion.chunk\",\"created\":1771438842,\"model\":\"{model}\",\"system_fingerprint\":\"fp_c82faf3ca0\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{escapedContent}\"}},\"logprobs\":null,\"finish_reason\":null}}]}}\n\n";

    /// <summary>A first chunk (role, empty content, x_groq.id) as Groq sends it.</summary>
    public static string FirstChunk(string model = "openai/gpt-oss-120b", string requestId = "req_01kztr8bqme32rx8ttyjtpk0nw")
        => $"data: {{\"id\":\"chatcmpl-fd87720a\",\"object\":\"chat.completion.chunk\",\"created\":1771438842,\"model\":\"{model}\",\"system_fingerprint\":\"fp_c82faf3ca0\",\"choices\":[{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":\"\"}},\"logprobs\":null,\"finish_reason\":null}}],\"x_groq\":{{\"id\":\"{requestId}\",\"seed\":91721220}}}}\n\n";

    /// <summary>A 2026 finish chunk with both x_groq.usage and usage.</summary>
    public static string FinishChunk(long prompt, long completion, string model = "openai/gpt-oss-120b", string requestId = "req_01kztr8bqme32rx8ttyjtpk0nw", string finishReason = "stop")
    {
        string usage = $"{{\"queue_time\":0.017371826,\"prompt_tokens\":{prompt},\"prompt_time\":0.003517995,\"completion_tokens\":{completion},\"completion_time\":0.001015726,\"total_tokens\":{prompt + completion},\"total_time\":0.004533721}}";
        return $"data: {{\"id\":\"chatcmpl-fd87720a\",\"object\":\"chat.completion.chunk\",\"created\":1771438842,\"model\":\"{model}\",\"system_fingerprint\":\"fp_c82faf3ca0\",\"choices\":[{{\"index\":0,\"delta\":{{}},\"logprobs\":null,\"finish_reason\":\"{finishReason}\"}}],\"x_groq\":{{\"id\":\"{requestId}\",\"usage\":{usage}}},\"usage\":{usage}}}\n\n";
    }

    public const string Done = "data: [DONE]\n\n";

    /// <summary>A whole stream: first chunk, content chunks, finish chunk with usage, [DONE].</summary>
    public static string Stream(string model, long prompt, long completion, params string[] contents)
        => FirstChunk(model) + string.Concat(contents.Select(c => ContentChunk(c, model))) + FinishChunk(prompt, completion, model) + Done;
}
