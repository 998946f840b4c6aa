using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Tests.Emulator;

/// <summary>The emulator's bodies and frames have the recorded shapes of docs/GROQ-API.md §9: names, order, JSON types.</summary>
public sealed partial class WireConformanceTests
{
    [Fact]
    public async Task Completion_MatchesRecorded2026Body()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("Why don't scientists trust atoms?\n\nBecause they make up everything! 🧪✨"));

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonShape.Of(TestData.Read("a-completion-2026.json")), JsonShape.Of(body));
        using var document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        Assert.Matches(CompletionId(), root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal(groq.Time.GetUtcNow().ToUnixTimeSeconds(), root.GetProperty("created").GetInt64());
        Assert.Equal("Why don't scientists trust atoms?\n\nBecause they make up everything! 🧪✨", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Matches(Fingerprint(), root.GetProperty("system_fingerprint").GetString());
        Assert.Matches(RequestId(), root.GetProperty("x_groq").GetProperty("id").GetString());
        Assert.Equal(root.GetProperty("x_groq").GetProperty("id").GetString(), Assert.Single(response.Headers.GetValues("x-request-id")));
        Assert.Equal("emu", Assert.Single(response.Headers.GetValues("x-groq-region")));
        Assert.Equal("on_demand", root.GetProperty("service_tier").GetString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        AssertUsageConsistent(root.GetProperty("usage"));
    }

    [Fact]
    public async Task Completion_2025Switches_GiveModelsNullBreakdownAndNoServiceTier()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.Behavior.UsageBreakdownModelsNull = true;
            o.Behavior.ServiceTierInResponse = false;
        });

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat());

        using var recorded = JsonDocument.Parse(TestData.Read("b-completion-2025.json"));
        using var actual = JsonDocument.Parse(body);
        Assert.Equal(JsonShape.Of(recorded.RootElement.GetProperty("usage_breakdown")), JsonShape.Of(actual.RootElement.GetProperty("usage_breakdown")));
        Assert.False(actual.RootElement.TryGetProperty("service_tier", out _));
    }

    [Fact]
    public async Task Stream_WithIncludeUsage_MatchesRecordedStreamFrameByFrame()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat("openai/gpt-oss-20b", extra: "\"max_tokens\":1,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        List<SseFrame> expected = SseFrame.Parse(TestData.Read("c-stream-include-usage-2026.sse"));
        List<SseFrame> actual = SseFrame.Parse(body);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count - 1; i++)
        {
            Assert.Null(actual[i].Event);
            Assert.Equal(JsonShape.Of(expected[i].Data), JsonShape.Of(actual[i].Data));
        }

        Assert.Equal("[DONE]", actual[^1].Data);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        using var finish = JsonDocument.Parse(actual[1].Data);
        Assert.Equal("length", finish.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(1, finish.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(finish.RootElement.GetProperty("usage").GetRawText(), finish.RootElement.GetProperty("x_groq").GetProperty("usage").GetRawText());
        using var usage = JsonDocument.Parse(actual[2].Data);
        Assert.Equal(finish.RootElement.GetProperty("usage").GetRawText(), usage.RootElement.GetProperty("usage").GetRawText());
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-request-id")), finish.RootElement.GetProperty("x_groq").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Stream_WithoutIncludeUsage_HasNoUsageChunk()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris."));

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"stream\":true"));

        List<SseFrame> frames = SseFrame.Parse(body);
        Assert.Equal("[DONE]", frames[^1].Data);
        Assert.DoesNotContain(frames, f => f.Data.Contains("\"choices\":[]", StringComparison.Ordinal));
        string content = string.Concat(frames.Skip(1).SkipLast(2).Select(f => JsonDocument.Parse(f.Data).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal("The capital of France is Paris.", content);
        using var role = JsonDocument.Parse(frames[0].Data);
        Assert.Equal(string.Empty, role.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Stream_ToolCall_MatchesRecordedToolCallStream()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.ToolCall("weather"));
        string tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"description\":\"Get the weather\",\"parameters\":{\"type\":\"object\",\"properties\":{}}}}]";

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("llama-3.3-70b-versatile", "What is the weather?", "\"stream\":true," + tools));

        string[] expected = TestData.Read("e-tool-call-stream-2026.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        List<SseFrame> actual = SseFrame.Parse(body);
        Assert.Equal(expected.Length + 1, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(JsonShape.Of(expected[i]), JsonShape.Of(actual[i].Data));
        }

        using var call = JsonDocument.Parse(actual[1].Data);
        JsonElement toolCall = call.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal("weather", toolCall.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{}", toolCall.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Matches(ToolCallId(), toolCall.GetProperty("id").GetString());
        using var finish = JsonDocument.Parse(actual[2].Data);
        Assert.Equal("tool_calls", finish.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Stream_2024Switch_FinishChunkHasOnlyXGroqUsage()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Behavior.UsageOnFinishChunk = false);
        groq.Emulator.Script.Always(ScriptedReply.ToolCall("weather"));

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"stream\":true,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}]"));

        List<SseFrame> actual = SseFrame.Parse(body);
        List<SseFrame> expected = SseFrame.Parse(TestData.Read("f-finish-chunk-2024.sse"));
        Assert.Equal(JsonShape.Of(expected[0].Data), JsonShape.Of(actual[^2].Data));
    }

    [Fact]
    public async Task Stream_GptOss_SendsReasoningDeltasAndReasoningTokens()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("openai/gpt-oss-120b", extra: "\"stream\":true"));

        // The recording elides chunks with a "…" line, so its data lines are read one by one.
        string[] expected = TestData.Read("d-reasoning-stream-2026.sse").Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).ToArray();
        List<SseFrame> actual = SseFrame.Parse(body);
        Assert.Equal(JsonShape.Of(expected[0]), JsonShape.Of(actual[1].Data));
        Assert.Equal(JsonShape.Of(expected[1]), JsonShape.Of(actual[^2].Data));
        using var finish = JsonDocument.Parse(actual[^2].Data);
        JsonElement usage = finish.RootElement.GetProperty("usage");
        int reasoning = usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32();
        int reasoningChunks = actual.Count(f => f.Data.Contains("\"channel\":\"analysis\"", StringComparison.Ordinal));
        Assert.True(reasoning >= reasoningChunks && reasoningChunks > 0);
        Assert.True(usage.GetProperty("completion_tokens").GetInt32() >= reasoning + 10);
    }

    [Fact]
    public async Task Stream_ErrorEventFault_MatchesRecordedMidStreamErrorAndOmitsDone()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("maybe not"));

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("openai/gpt-oss-120b", extra: "\"stream\":true,\"include_reasoning\":false"), fault: "error-event;status=400;after=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        List<SseFrame> expected = SseFrame.Parse(TestData.Read("g-midstream-error-event.sse"));
        List<SseFrame> actual = SseFrame.Parse(body);
        Assert.Equal(3, actual.Count);
        Assert.Equal(JsonShape.Of(expected[0].Data), JsonShape.Of(actual[1].Data));
        Assert.Equal("error", actual[2].Event);
        Assert.Equal(expected[1].Data, actual[2].Data);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidKey_MatchesRecorded401WithoutRateLimitHeaders()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(), key: "gsk_wrong");
        using var missing = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = new StringContent(TestEmulator.Chat()) };
        HttpResponseMessage noKey = await groq.Http.SendAsync(missing, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}\n", body);
        Assert.Equal(96, response.Content.Headers.ContentLength);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit", StringComparison.OrdinalIgnoreCase));
        Assert.Matches(RequestId(), Assert.Single(response.Headers.GetValues("x-request-id")));
        Assert.Single(response.Headers.GetValues("x-groq-region"));
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(body, await noKey.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UnknownUrl_Returns404UnknownUrlWithGroqMessage()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        HttpResponseMessage response = await groq.Http.PostAsync(new Uri(groq.Emulator.RootUrl, "/openai/v1/messages"), new StringContent("{}"), TestContext.Current.CancellationToken);
        HttpResponseMessage doubled = await groq.Http.GetAsync(new Uri(groq.Emulator.RootUrl, "/openai/v1/openai/v1/models"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            "{\"error\":{\"message\":\"Unknown request URL: POST /openai/v1/messages. Please check the URL for typos, or see the docs at https://console.groq.com/docs/\",\"type\":\"invalid_request_error\",\"code\":\"unknown_url\"}}\n",
            await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, doubled.StatusCode);
        Assert.Contains("unknown_url", await doubled.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListAndRetrieve_HaveGroqShapeAndNoRateLimitHeaders()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", groq.Key);

        HttpResponseMessage list = await groq.Http.GetAsync("models", TestContext.Current.CancellationToken);
        HttpResponseMessage one = await groq.Http.GetAsync("models/openai/gpt-oss-20b", TestContext.Current.CancellationToken);
        HttpResponseMessage retired = await groq.Http.GetAsync("models/gemma2-9b-it", TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("list", document.RootElement.GetProperty("object").GetString());
        JsonElement first = document.RootElement.GetProperty("data")[0];
        Assert.Equal("{id:string,object:string,created:int,owned_by:string,active:bool,context_window:int,public_apps:null,max_completion_tokens:int,}", JsonShape.Of(first));
        Assert.DoesNotContain(document.RootElement.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "gemma2-9b-it");
        Assert.Equal(
            "{\"id\":\"openai/gpt-oss-20b\",\"object\":\"model\",\"created\":1754407957,\"owned_by\":\"OpenAI\",\"active\":true,\"context_window\":131072,\"public_apps\":null,\"max_completion_tokens\":65536}",
            await one.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(list.Headers, h => h.Key.StartsWith("x-ratelimit", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.NotFound, retired.StatusCode);
    }

    internal static void AssertUsageConsistent(JsonElement usage)
    {
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        decimal total = usage.GetProperty("total_time").GetDecimal();
        Assert.Equal(usage.GetProperty("prompt_time").GetDecimal() + usage.GetProperty("completion_time").GetDecimal(), total);
        Assert.True(usage.GetProperty("queue_time").GetDecimal() > 0);
    }

    [GeneratedRegex("^chatcmpl-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex CompletionId();

    [GeneratedRegex("^req_01[0-9abcdefghjkmnpqrstvwxyz]{24}$")]
    private static partial Regex RequestId();

    [GeneratedRegex("^fp_[0-9a-f]{10}$")]
    private static partial Regex Fingerprint();

    [GeneratedRegex("^[a-z0-9]{9}$")]
    private static partial Regex ToolCallId();
}
