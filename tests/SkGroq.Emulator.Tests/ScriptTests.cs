using System.Net;
using System.Text.Json;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Tests.Emulator;

/// <summary>Scripted replies: matching, limits, tool calls the way Groq sends them, and Groq's tool_use_failed cases.</summary>
public sealed class ScriptTests
{
    private const string Tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}},{\"type\":\"function\",\"function\":{\"name\":\"time\"}}]";

    [Fact]
    public async Task WhenLastUserMessageContains_AnswersMatchingRequestsOnly_AndTimesLimitsIt()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        ScriptRule rule = groq.Emulator.Script.WhenLastUserMessageContains("capital", ScriptedReply.Text("Paris."), times: 1);

        string first = Content(await Body(groq, TestEmulator.Chat(user: "What is the CAPITAL of France?")));
        string second = Content(await Body(groq, TestEmulator.Chat(user: "What is the capital of France?")));

        Assert.Equal("Paris.", first);
        Assert.NotEqual("Paris.", second);
        Assert.Equal(1, rule.Used);
        Assert.Empty(groq.Emulator.Script.Rules);
    }

    [Fact]
    public async Task ToolCall_NonStreaming_HasNoContentKeyAndFinishesWithToolCalls()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.When(r => r.HasTools, ScriptedReply.ToolCall("weather", "{\"city\":\"Paris\"}"));

        using var document = JsonDocument.Parse(await Body(groq, TestEmulator.Chat(extra: Tools)));

        JsonElement choice = document.RootElement.GetProperty("choices")[0];
        Assert.Equal("{role:string,tool_calls:[{id:string,type:string,function:{name:string,arguments:string,},},],}", JsonShape.Of(choice.GetProperty("message")));
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("{\"city\":\"Paris\"}", choice.GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task ParallelToolCalls_StreamOneChunkEach_UnlessParallelIsOff()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.WithToolCalls(new ScriptedToolCall("weather"), new ScriptedToolCall("time") { Id = "call_fixed" }));

        List<SseFrame> parallel = SseFrame.Parse(await Body(groq, TestEmulator.Chat(extra: Tools + ",\"stream\":true")));
        List<SseFrame> single = SseFrame.Parse(await Body(groq, TestEmulator.Chat(extra: Tools + ",\"stream\":true,\"parallel_tool_calls\":false")));

        Assert.Equal(5, parallel.Count);
        Assert.Contains("\"index\":1}", parallel[2].Data, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"call_fixed\"", parallel[2].Data, StringComparison.Ordinal);
        Assert.Equal(4, single.Count);
    }

    [Fact]
    public async Task ToolNotOffered_Returns400ToolUseFailed_AndStreamsAnErrorEvent()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.ToolCall("get_cart"));

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: Tools));
        List<SseFrame> stream = SseFrame.Parse(await Body(groq, TestEmulator.Chat(extra: Tools + ",\"stream\":true")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "{\"error\":{\"message\":\"tool call validation failed: attempted to call tool 'get_cart' which was not in request.tools\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\",\"failed_generation\":\"<function=get_cart>{}</function>\"}}\n",
            body);
        Assert.Equal("error", stream[^1].Event);
        Assert.Contains("\"status_code\":400", stream[^1].Data, StringComparison.Ordinal);
        Assert.Equal(0, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").PromptTokens);
    }

    [Fact]
    public async Task ToolChoiceRequired_TextReply_FailsLikeGroq()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("maybe"));

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: Tools + ",\"tool_choice\":\"required\""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Tool choice is required, but model did not call a tool", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolChoiceRequiredOrNamed_WithoutScript_CallsTheTool()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        using var required = JsonDocument.Parse(await Body(groq, TestEmulator.Chat(extra: Tools + ",\"tool_choice\":\"required\"")));
        using var named = JsonDocument.Parse(await Body(groq, TestEmulator.Chat(extra: Tools + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"time\"}}")));

        Assert.Equal("weather", ToolName(required));
        Assert.Equal("time", ToolName(named));
    }

    [Fact]
    public async Task ToolChoiceNone_ScriptedToolCall_AnswersInText()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.ToolCall("weather").WithText("No tools today."));

        string content = Content(await Body(groq, TestEmulator.Chat(extra: Tools + ",\"tool_choice\":\"none\"")));

        Assert.Equal("No tools today.", content);
    }

    [Fact]
    public async Task ThrowingPredicate_Returns500AndReleasesTheReservation()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.When(_ => throw new InvalidOperationException("bug in test"), ScriptedReply.Text("x"));

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat(extra: "\"max_tokens\":100"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        groq.Emulator.Script.Clear();
        (HttpResponseMessage next, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"max_tokens\":100"));
        using var document = JsonDocument.Parse(body);
        int prompt = document.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();

        // Only the second request's reservation is taken: the failed one gave its tokens back.
        Assert.Equal((6000 - prompt - 100).ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(next.Headers.GetValues("x-ratelimit-remaining-tokens")));
    }

    [Fact]
    public async Task Predicate_SeesMessagesToolsAndToolResults()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        EmulatorRequest? seen = null;
        groq.Emulator.Script.When(r => (seen = r) is not null, ScriptedReply.Text("ok"));
        string json = """
            {"model":"llama-3.1-8b-instant","tools":[{"type":"function","function":{"name":"weather"}}],"tool_choice":"auto","messages":[
              {"role":"user","content":[{"type":"text","text":"Weather?"}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"weather","arguments":"{}"}}]},
              {"role":"tool","content":"sunny","tool_call_id":"c1"}]}
            """;

        await groq.PostAsync(json);

        Assert.NotNull(seen);
        Assert.True(seen.HasTools && seen.HasToolResults);
        Assert.Equal("Weather?", seen.LastUserMessage);
        Assert.Equal(["weather"], seen.Messages[1].ToolCallNames);
        Assert.Equal("c1", seen.LastMessage!.ToolCallId);
        Assert.Equal("auto", seen.ToolChoice);
        Assert.Equal(groq.Emulator.GetOrganizationId(groq.Key), seen.Organization);
    }

    private static async Task<string> Body(TestEmulator groq, string json) => (await groq.PostForBodyAsync(json)).Body;

    private static string Content(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    private static string ToolName(JsonDocument document)
        => document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString()!;
}
