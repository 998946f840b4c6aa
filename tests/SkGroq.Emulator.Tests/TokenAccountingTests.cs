using System.Text.Json;
using SkGroq.Emulator.Accounting;
using SkGroq.Emulator.Scripting;
using SkGroq.Tokens;

namespace SkGroq.Tests.Emulator;

/// <summary>The emulator charges what Groq would (docs/GROQ-API.md §10), with SkGroq's own counter, and its accounting adds up.</summary>
public sealed class TokenAccountingTests
{
    [Theory]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"}]}""", 48)]
    [InlineData("""{"model":"llama-3.3-70b-versatile","messages":[{"role":"user","content":"Say hello in onesentence."}]}""", 41)]
    [InlineData("""{"model":"openai/gpt-oss-120b","messages":[{"role":"user","content":"What is 2+2? Reply with just the number."}]}""", 84)]
    [InlineData("""{"model":"qwen/qwen3-32b","messages":[{"role":"user","content":"What is 2+2? Reply with just the number."}],"reasoning_effort":"none"}""", 25)]
    public async Task PromptTokens_MatchVerifiedExamples(string json, int expected)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (_, string body) = await groq.PostForBodyAsync(json);

        Assert.Equal(expected, Usage(body).GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task CompletionTokens_IncludeTheEndOfTurnToken()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris."));

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("llama-3.3-70b-versatile"));

        Assert.Equal(8, Usage(body).GetProperty("completion_tokens").GetInt32());
        Assert.Equal("stop", FinishReason(body));
    }

    [Fact]
    public async Task MaxTokens_CutsTheAnswerAndChargesExactlyTheLimit()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris."));

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("llama-3.3-70b-versatile", extra: "\"max_tokens\":3"));

        Assert.Equal(3, Usage(body).GetProperty("completion_tokens").GetInt32());
        Assert.Equal("length", FinishReason(body));
        Assert.Equal("The capital of", Content(body));
    }

    [Fact]
    public async Task StopSequence_CutsBeforeItAndIsNotReturned()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris. It is large."));
        ITokenCounter counter = new TokenCounterProvider().GetCounter("llama-3.3-70b-versatile");

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("llama-3.3-70b-versatile", extra: "\"stop\":[\"zzz\",\" Paris\"]"));

        Assert.Equal("The capital of France is", Content(body));
        Assert.Equal("stop", FinishReason(body));
        Assert.Equal(counter.CountTokens("The capital of France is") + counter.CountTokens(" Paris"), Usage(body).GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task GptOss_CompletionIncludesReasoningAndHarmonyStructure()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("4", reasoning: "The user asks a simple sum. Two plus two is four."));
        ITokenCounter counter = new TokenCounterProvider().GetCounter("openai/gpt-oss-120b");

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("openai/gpt-oss-120b", "What is 2+2? Reply with just the number."));

        JsonElement usage = Usage(body);
        Assert.Equal(counter.CountCompletionTokens("4", "The user asks a simple sum. Two plus two is four."), usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(counter.CountTokens("The user asks a simple sum. Two plus two is four."), usage.GetProperty("completion_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        using var document = JsonDocument.Parse(body);
        Assert.Equal("The user asks a simple sum. Two plus two is four.", document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("reasoning").GetString());
    }

    [Fact]
    public async Task Qwen3_RawReasoning_SitsInTheContentAndIsCountedWithItsFrame()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("4", reasoning: "Two plus two."));
        ITokenCounter counter = new TokenCounterProvider().GetCounter("qwen/qwen3-32b");

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("qwen/qwen3-32b"));

        Assert.Equal("<think>\nTwo plus two.\n</think>\n\n4", Content(body));
        Assert.Equal(counter.CountCompletionTokens("4", "Two plus two."), Usage(body).GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Accounting_EqualsTheSumOfReportedUsage()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.ApiKeys.Add("gsk_accounting_test_key"));
        long prompt = 0;
        long completion = 0;
        for (int i = 0; i < 3; i++)
        {
            (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(user: $"Question {i}"));
            prompt += Usage(body).GetProperty("prompt_tokens").GetInt32();
            completion += Usage(body).GetProperty("completion_tokens").GetInt32();
        }

        (_, string streamed) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        using var last = JsonDocument.Parse(SseFrame.Parse(streamed)[^2].Data);
        prompt += last.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        completion += last.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        await groq.PostAsync(TestEmulator.Chat("no-such-model"));

        EmulatorUsage usage = groq.Emulator.Accounting.Get("gsk_accounting_test_key", "llama-3.1-8b-instant");
        Assert.Equal((4L, 4L, prompt, completion), (usage.Requests, usage.Succeeded, usage.PromptTokens, usage.CompletionTokens));
        Assert.Equal("gsk_…_key", usage.ApiKey);
        Assert.Equal(1, groq.Emulator.Accounting.Get("gsk_accounting_test_key", "no-such-model").Rejected);
        Assert.Equal(5, groq.Emulator.Accounting.RequestsReceived);
        Assert.Equal(prompt + completion, groq.Emulator.Accounting.Totals().TotalTokens);
    }

    [Fact]
    public async Task GeneratedText_IsDeterministicForTheSameRequestAndSeed()
    {
        await using TestEmulator first = await TestEmulator.StartAsync(o => o.Seed = 7);
        await using TestEmulator second = await TestEmulator.StartAsync(o => o.Seed = 7);

        (_, string a) = await first.PostForBodyAsync(TestEmulator.Chat(user: "Tell me something"));
        (_, string b) = await second.PostForBodyAsync(TestEmulator.Chat(user: "Tell me something"));
        (_, string c) = await second.PostForBodyAsync(TestEmulator.Chat(user: "Tell me something else"));

        Assert.Equal(Content(a), Content(b));
        Assert.NotEqual(Content(a), Content(c));
        Assert.Matches("^[A-Z][a-z]+( |,|\\.|\\n|[a-z])*", Content(a));
    }

    private static JsonElement Usage(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("usage").Clone();
    }

    private static string FinishReason(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString()!;
    }

    private static string Content(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }
}
