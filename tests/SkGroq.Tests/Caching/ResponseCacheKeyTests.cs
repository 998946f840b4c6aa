using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using SkGroq.Caching;
using SkGroq.Inspection.Sse;

namespace SkGroq.Tests.Caching;

public sealed class ResponseCacheKeyTests
{
    private const string Path = "chat/completions";
    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const string Base = """{"model":"llama-3.1-8b-instant","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}],"temperature":0,"max_tokens":50}""";

    /// <summary>Requests that mean the same as <see cref="Base"/>: same key.</summary>
    public static TheoryData<string, string> Equivalent => new()
    {
        { "members reordered", """{"max_tokens":50,"temperature":0,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is 2+2?"}],"model":"llama-3.1-8b-instant"}""" },
        { "nested members reordered", """{"model":"llama-3.1-8b-instant","messages":[{"content":"Be brief.","role":"system"},{"content":"What is 2+2?","role":"user"}],"temperature":0,"max_tokens":50}""" },
        { "whitespace", "{\n  \"model\" : \"llama-3.1-8b-instant\",\n  \"messages\" : [ { \"role\" : \"system\", \"content\" : \"Be brief.\" },\r\n { \"role\":\"user\",\"content\":\"What is 2+2?\" } ],\t\"temperature\": 0, \"max_tokens\": 50 }" },
        { "temperature 0.0", Base.Replace("\"temperature\":0", "\"temperature\":0.0", StringComparison.Ordinal) },
        { "temperature 0e0", Base.Replace("\"temperature\":0", "\"temperature\":0e0", StringComparison.Ordinal) },
        { "temperature -0", Base.Replace("\"temperature\":0", "\"temperature\":-0", StringComparison.Ordinal) },
        { "max_tokens 50.0", Base.Replace("\"max_tokens\":50", "\"max_tokens\":50.0", StringComparison.Ordinal) },
        { "max_tokens 5e1", Base.Replace("\"max_tokens\":50", "\"max_tokens\":5e1", StringComparison.Ordinal) },
        { "max_completion_tokens for max_tokens", Base.Replace("\"max_tokens\":50", "\"max_completion_tokens\":50", StringComparison.Ordinal) },
        { "stream flag", Base[..^1] + ",\"stream\":true}" },
        { "stream with stream_options", Base[..^1] + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}" },
        { "stream false", Base[..^1] + ",\"stream\":false}" },
        { "user", Base[..^1] + ",\"user\":\"alice@example.com\"}" },
        { "null seed", Base[..^1] + ",\"seed\":null}" },
        { "null stop", Base[..^1] + ",\"stop\":null}" },
        { "\\u escapes", Base.Replace("What is 2+2?", "\\u0057hat is 2\\u002b2?", StringComparison.Ordinal) },
        { "\\u escape of a period", Base.Replace("Be brief.", "Be brief\\u002e", StringComparison.Ordinal) },
    };

    /// <summary>Requests that can get another answer than <see cref="Base"/>: another key.</summary>
    public static TheoryData<string, string> Different => new()
    {
        { "model", Base.Replace("llama-3.1-8b-instant", "llama-3.3-70b-versatile", StringComparison.Ordinal) },
        { "user message", Base.Replace("What is 2+2?", "What is 2+3?", StringComparison.Ordinal) },
        { "system message", Base.Replace("Be brief.", "Be verbose.", StringComparison.Ordinal) },
        { "role", Base.Replace("\"role\":\"system\"", "\"role\":\"developer\"", StringComparison.Ordinal) },
        { "message order", """{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"What is 2+2?"},{"role":"system","content":"Be brief."}],"temperature":0,"max_tokens":50}""" },
        { "one more message", Base.Replace("]", ",{\"role\":\"assistant\",\"content\":\"4\"}]", StringComparison.Ordinal) },
        { "content as parts", Base.Replace("\"What is 2+2?\"", "[{\"type\":\"text\",\"text\":\"What is 2+2?\"}]", StringComparison.Ordinal) },
        { "temperature", Base.Replace("\"temperature\":0", "\"temperature\":0.5", StringComparison.Ordinal) },
        { "temperature 1e-8", Base.Replace("\"temperature\":0", "\"temperature\":1e-8", StringComparison.Ordinal) },
        { "temperature absent", Base.Replace("\"temperature\":0,", string.Empty, StringComparison.Ordinal) },
        { "max tokens", Base.Replace("\"max_tokens\":50", "\"max_tokens\":51", StringComparison.Ordinal) },
        { "max tokens absent", Base.Replace(",\"max_tokens\":50", string.Empty, StringComparison.Ordinal) },
        { "both max tokens", Base[..^1] + ",\"max_completion_tokens\":50}" },
        { "top_p", Base[..^1] + ",\"top_p\":0.9}" },
        { "stop", Base[..^1] + ",\"stop\":[\"\\n\"]}" },
        { "seed", Base[..^1] + ",\"seed\":42}" },
        { "tools", Base[..^1] + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"add\",\"parameters\":{\"type\":\"object\"}}}]}" },
        { "tool_choice", Base[..^1] + ",\"tool_choice\":\"none\"}" },
        { "parallel_tool_calls", Base[..^1] + ",\"parallel_tool_calls\":false}" },
        { "response_format", Base[..^1] + ",\"response_format\":{\"type\":\"json_object\"}}" },
        { "reasoning_effort", Base[..^1] + ",\"reasoning_effort\":\"low\"}" },
        { "reasoning_format", Base[..^1] + ",\"reasoning_format\":\"hidden\"}" },
        { "include_reasoning", Base[..^1] + ",\"include_reasoning\":false}" },
        { "service_tier", Base[..^1] + ",\"service_tier\":\"flex\"}" },
        { "frequency_penalty", Base[..^1] + ",\"frequency_penalty\":0.5}" },
        { "unknown parameter (deny-list)", Base[..^1] + ",\"search_settings\":{\"country\":\"fr\"}}" },
        { "nested null kept", Base.Replace("\"content\":\"Be brief.\"", "\"content\":\"Be brief.\",\"name\":null", StringComparison.Ordinal) },
        { "case of a value", Base.Replace("What is 2+2?", "what is 2+2?", StringComparison.Ordinal) },
        { "trailing space in a value", Base.Replace("What is 2+2?", "What is 2+2? ", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Equivalent))]
    public void TryCompute_EquivalentRequest_SameKey(string change, string body)
    {
        Assert.True(ResponseCacheKey.TryCompute(Encoding.UTF8.GetBytes(body), Path, null, out string key), change);
        Assert.Equal(Key(Base), key);
    }

    [Theory]
    [MemberData(nameof(Different))]
    public void TryCompute_DifferentRequest_DifferentKey(string change, string body)
    {
        Assert.True(ResponseCacheKey.TryCompute(Encoding.UTF8.GetBytes(body), Path, null, out string key), change);
        Assert.NotEqual(Key(Base), key);
    }

    [Theory]
    [InlineData("a/b", "a\\/b")]
    [InlineData("smile 😀", "smile \\ud83d\\ude00")]
    [InlineData("smile 😀", "smile \\uD83D\\uDE00")]
    [InlineData("tab\\tend", "tab\\u0009end")]
    [InlineData("quote \\\"x\\\"", "quote \\u0022x\\u0022")]
    [InlineData("back \\\\ slash", "back \\u005c slash")]
    [InlineData("é", "\\u00e9")]
    [InlineData("é", "\\u00E9")]
    public void TryCompute_SameTextOtherEscaping_SameKey(string raw, string escaped)
    {
        static string Body(string content) => $"{{\"model\":\"m\",\"messages\":[{{\"role\":\"user\",\"content\":\"{content}\"}}],\"temperature\":0}}";
        Assert.Equal(Key(Body(raw)), Key(Body(escaped)));
    }

    [Fact]
    public void TryCompute_OtherPathOrPartition_DifferentKey()
    {
        byte[] body = Encoding.UTF8.GetBytes(Base);
        ResponseCacheKey.TryCompute(body, Path, null, out string plain);
        ResponseCacheKey.TryCompute(body, "responses", null, out string otherPath);
        ResponseCacheKey.TryCompute(body, Path, "org-a", out string orgA);
        ResponseCacheKey.TryCompute(body, Path, "org-b", out string orgB);

        Assert.Equal(4, new HashSet<string> { plain, otherPath, orgA, orgB }.Count);
    }

    [Fact]
    public void TryCompute_Key_IsLowerCaseHexSha256()
    {
        Assert.Matches("^[0-9a-f]{64}$", Key(Base));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"model\":")]
    public void TryCompute_BodyNotAJsonObject_ReturnsFalse(string body)
    {
        Assert.False(ResponseCacheKey.TryCompute(Encoding.UTF8.GetBytes(body), Path, null, out _));
    }

    [Fact]
    public void TryCanonicalize_Request_SortedCompactAndWithoutDeliveryMembers()
    {
        using var output = new PooledByteBuffer();
        string body = """{ "stream": true, "model": "m", "user": "u", "messages": [ { "role": "user", "content": "a\nb \u00e9 \"q\"" } ], "temperature": 0.0, "max_tokens": 5 }""";

        Assert.True(ResponseCacheKey.TryCanonicalize(Encoding.UTF8.GetBytes(body), Path, "org", output));

        Assert.Equal(
            """{"v":1,"path":"chat/completions","partition":"org","request":{"max_completion_tokens":5,"messages":[{"content":"a\u000ab é \"q\"","role":"user"}],"model":"m","temperature":0}}""",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void TryCompute_AnyStringSpelledWithAnyEscaping_SameKey()
    {
        // The same text written by three encoders (ASCII-only escapes, relaxed, and every character as \uXXXX) is one string.
        Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 40].Sample(text =>
        {
            string strict = JsonSerializer.Serialize(text);
            string relaxed = JsonSerializer.Serialize(text, s_relaxed);
            string everyChar = "\"" + string.Concat(text.Select(c => $"\\u{(int)c:x4}")) + "\"";
            string Body(string content) => $"{{\"model\":\"m\",\"messages\":[{{\"role\":\"user\",\"content\":{content}}}],\"temperature\":0}}";

            string expected = Key(Body(strict));
            return Key(Body(relaxed)) == expected && Key(Body(everyChar)) == expected;
        });
    }

    [Fact]
    public void TryCompute_DifferentStrings_DifferentKeys()
    {
        Gen.Select(Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 20], Gen.String[Gen.Char.Where(c => !char.IsSurrogate(c)), 0, 20]).Where(p => p.Item1 != p.Item2).Sample(pair =>
        {
            string Body(string content) => $"{{\"model\":\"m\",\"messages\":[{{\"role\":\"user\",\"content\":{JsonSerializer.Serialize(content)}}}]}}";
            return Key(Body(pair.Item1)) != Key(Body(pair.Item2));
        });
    }

    private static string Key(string body)
    {
        Assert.True(ResponseCacheKey.TryCompute(Encoding.UTF8.GetBytes(body), Path, null, out string key));
        return key;
    }
}
