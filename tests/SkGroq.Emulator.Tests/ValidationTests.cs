using System.Net;
using System.Text.Json;

namespace SkGroq.Tests.Emulator;

/// <summary>Requests Groq refuses are refused the same way (docs/GROQ-API.md §2.3, §6.2).</summary>
public sealed class ValidationTests
{
    [Theory]
    [InlineData("\"stream_option\":{}", "property 'stream_option' is unsupported, did you mean 'stream_options'?")]
    [InlineData("\"max_output_tokens\":5", "property 'max_output_tokens' is unsupported, did you mean 'max_tokens'?")]
    [InlineData("\"temprature\":0.5", "property 'temprature' is unsupported, did you mean 'temperature'?")]
    public async Task UnknownTopLevelProperty_Returns400WithClosestName(string extra, string message)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: extra));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"{{\"error\":{{\"message\":\"{message}\",\"type\":\"invalid_request_error\"}}}}\n", body);
    }

    [Fact]
    public async Task StreamOptions_RejectedIn2024Mode_AcceptedByDefault()
    {
        await using TestEmulator strict = await TestEmulator.StartAsync(o => o.Behavior.AcceptStreamOptions = false);
        await using TestEmulator current = await TestEmulator.StartAsync();
        string json = TestEmulator.Chat(extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        (HttpResponseMessage rejected, string body) = await strict.PostForBodyAsync(json);
        HttpResponseMessage accepted = await current.PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("property 'stream_options' is unsupported, did you mean 'stream'?", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task UnknownMessageProperty_Returns400InGroqsNestedWording()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        string json = """{"model":"llama-3.1-8b-instant","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"assistant","content":"c","model_used":"x"}]}""";

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(
            "'messages.2' : for 'role:assistant' the following must be satisfied[('messages.2' : property 'model_used' is unsupported, did you mean 'role'?)]",
            document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task EverythingTheOpenAiSdkSends_IsAccepted()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        string json = """
            {"metadata":{"a":"b"},"temperature":0.5,"top_logprobs":2,"top_p":0.9,"user":"u1","service_tier":"auto",
             "messages":[{"role":"system","content":"s"},{"role":"developer","content":"d"},{"role":"user","content":[{"type":"text","text":"hi"}],"name":"n"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                         {"role":"tool","content":"42","tool_call_id":"call_1"}],
             "model":"llama-3.3-70b-versatile","reasoning_effort":"low","max_completion_tokens":50,"frequency_penalty":0,"presence_penalty":0,
             "response_format":{"type":"text"},"store":false,"stream":false,"stop":["\n\n"],"logit_bias":{"1":1},"logprobs":false,"seed":7,
             "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{}}}}],
             "tool_choice":"auto","parallel_tool_calls":true}
            """;

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(json);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(7, document.RootElement.GetProperty("x_groq").GetProperty("seed").GetInt64());
    }

    [Theory]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop")]
    [InlineData("\"reasoning_format\":\"parsed\",\"include_reasoning\":true", "reasoning_format")]
    [InlineData("\"max_tokens\":\"ten\"", "max_tokens")]
    [InlineData("\"reasoning_format\":\"raw\",\"response_format\":{\"type\":\"json_object\"}", "reasoning_format")]
    [InlineData("\"reasoning_format\":\"raw\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "reasoning_format")]
    [InlineData("\"response_format\":{}", "response_format")]
    public async Task InvalidParameter_Returns400WithParam(string extra, string param)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: extra));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(body);
        Assert.Equal(param, document.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", document.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task UnknownModel_Returns404ModelNotFound()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("llama-3.3-70b-versatlie"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("{\"error\":{\"message\":\"The model `llama-3.3-70b-versatlie` does not exist or you do not have access to it.\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}\n", body);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("x-ratelimit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DecommissionedModel_Returns400ModelDecommissioned()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("gemma2-9b-it"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "{\"error\":{\"message\":\"The model `gemma2-9b-it` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.\",\"type\":\"invalid_request_error\",\"code\":\"model_decommissioned\"}}\n",
            body);
    }

    [Theory]
    [InlineData("max_completion_tokens", "meta-llama/llama-4-scout-17b-16e-instruct", 8193, 8192)]
    [InlineData("max_tokens", "llama-3.3-70b-versatile", 40000, 32768)]
    public async Task MaxTokensAboveModelMaximum_Returns400WithParamAndRateLimitHeaders(string param, string model, int requested, int maximum)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(model, extra: $"\"{param}\":{requested}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            $"{{\"error\":{{\"message\":\"'{param}' must be less than or equal to {maximum}, the maximum value for '{param}' is less than the 'context_window' for this model\",\"type\":\"invalid_request_error\",\"param\":\"{param}\"}}}}\n",
            body);

        // A 400 of a known model carries the (untouched, so full) buckets.
        Assert.Equal("1ms", Assert.Single(response.Headers.GetValues("x-ratelimit-reset-tokens")));
        Assert.Equal(Assert.Single(response.Headers.GetValues("x-ratelimit-limit-tokens")), Assert.Single(response.Headers.GetValues("x-ratelimit-remaining-tokens")));
    }

    [Fact]
    public async Task PromptPlusMaxTokensOverContextWindow_Returns400ContextLengthExceeded()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Models["small-model"] = new SkGroq.Models.ModelOverride { ContextWindow = 64, MaxCompletionTokens = 64 });

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("small-model", extra: "\"max_tokens\":60"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("{\"error\":{\"message\":\"Please reduce the length of the messages or completion.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}\n", body);
    }

    [Fact]
    public async Task InvalidJson_Returns400()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync("{\"model\":");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request_error", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonMode_GeneratedAnswerIsJson()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"response_format\":{\"type\":\"json_object\"},\"max_tokens\":500"));

        using var document = JsonDocument.Parse(body);
        string content = document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var answer = JsonDocument.Parse(content);
        Assert.False(string.IsNullOrWhiteSpace(answer.RootElement.GetProperty("answer").GetString()));
    }

    [Fact]
    public async Task LenientMode_AcceptsUnknownProperties()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Behavior.RejectUnknownProperties = false);

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat(extra: "\"whatever\":1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
