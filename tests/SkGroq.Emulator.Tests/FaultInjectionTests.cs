using System.Net;
using System.Text.Json;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Tests.Emulator;

/// <summary>Every fault the issue lists, by header and by rule, with what the client sees and what is counted.</summary>
public sealed class FaultInjectionTests
{
    [Theory]
    [InlineData("500", 500, "{\"error\":{\"message\":\"Internal Server Error\",\"type\":\"internal_server_error\"}}\n")]
    [InlineData("502", 502, "{\"error\":{\"message\":\"Bad Gateway\",\"type\":\"internal_server_error\"}}\n")]
    [InlineData("503", 503, "{\"error\":{\"message\":\"llama-3.1-8b-instant is currently over capacity. Please try again and back off exponentially. Visit https://groqstatus.com to see if there is an active incident.\",\"type\":\"internal_server_error\"}}\n")]
    [InlineData("498", 498, "{\"error\":{\"message\":\"Flex tier capacity exceeded for model `llama-3.1-8b-instant`. You can try again later.\",\"type\":\"invalid_request_error\",\"code\":\"capacity_exceeded\"}}\n")]
    public async Task StatusFault_ByHeader_ReturnsGroqErrorBody(string fault, int status, string expected)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(), fault);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(expected, body);
        Assert.Equal(1, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").Faults);
        Assert.Equal(0, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").PromptTokens);
    }

    [Fact]
    public async Task RateLimitNoRetryFault_Returns429WithShouldRetryFalseAndFullBucket()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat("qwen/qwen3.6-27b", extra: "\"max_tokens\":2512"), "429");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
        Assert.False(response.Headers.Contains("retry-after"));
        Assert.Equal("1ms", Assert.Single(response.Headers.GetValues("x-ratelimit-reset-tokens")));
        Assert.Contains("on output tokens per minute (OTPM): Limit 1000, Requested 2512. The request's expected output tokens exceed the enforced limit", body, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"tokens\",\"code\":\"rate_limit_exceeded\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionResetFault_AbortsBeforeHeaders()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => groq.PostAsync(TestEmulator.Chat(), "reset"));

        Assert.Equal(1, groq.Emulator.Accounting.FaultsSent[EmulatorFaultKind.ConnectionReset]);
    }

    [Fact]
    public async Task HtmlFault_Returns502Page()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(), "html");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<html>", body, StringComparison.Ordinal);
        Assert.Contains("cloudflare", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error-data", null)]
    [InlineData("error-event", "error")]
    public async Task StreamErrorFault_SendsErrorFrameWithStatusCodeAndNoDone(string fault, string? eventName)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three four"));

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"stream\":true"), fault + ";after=2;status=503");

        List<SseFrame> frames = SseFrame.Parse(body);
        Assert.Equal(4, frames.Count);
        Assert.Equal(eventName, frames[3].Event);
        using var error = JsonDocument.Parse(frames[3].Data);
        Assert.Equal(503, error.RootElement.GetProperty("error").GetProperty("status_code").GetInt32());
        Assert.Contains("over capacity", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        SkGroq.Emulator.Accounting.EmulatorUsage usage = groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant");
        Assert.Equal((1L, 1L, 0L, 0L), (usage.Incomplete, usage.Faults, usage.PromptTokens, usage.Succeeded));
    }

    [Fact]
    public async Task XGroqErrorFault_SendsChunkWithXGroqError()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (_, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"stream\":true"), "x-groq-error;after=1");

        List<SseFrame> frames = SseFrame.Parse(body);
        using var last = JsonDocument.Parse(frames[^1].Data);
        Assert.False(string.IsNullOrEmpty(last.RootElement.GetProperty("x_groq").GetProperty("error").GetString()));
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisconnectFault_CutsTheStreamMidway()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three four"));

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat(extra: "\"stream\":true"), "disconnect;after=2;ms=1000", completion: HttpCompletionOption.ResponseHeadersRead);
        Task<string> reading = response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        await groq.Time.AdvanceToNextTimerAsync();
        Exception? failure = await Record.ExceptionAsync(() => reading);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(failure is IOException or HttpRequestException, failure?.ToString() ?? "no failure");
        Assert.Equal(1, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").Incomplete);
    }

    [Fact]
    public async Task ChargeIncompleteStreams_ChargesTokensSentBeforeTheFault()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.Behavior.ChargeIncompleteStreams = true);
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three four"));

        await groq.PostForBodyAsync(TestEmulator.Chat(extra: "\"stream\":true"), "error-event;after=2");

        SkGroq.Emulator.Accounting.EmulatorUsage usage = groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant");
        Assert.True(usage.PromptTokens > 0);
        Assert.True(usage.CompletionTokens is > 0 and < 5);
    }

    [Fact]
    public async Task StallFault_SendsNothingUntilTheClockMoves()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three"));
        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat(extra: "\"stream\":true"), "stall;after=1;seconds=20", completion: HttpCompletionOption.ResponseHeadersRead);
        Task<string> reading = response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        // The server waits on the fake clock after the first chunk; nothing more arrives until the clock moves.
        Assert.Equal(TimeSpan.FromSeconds(20), await groq.Time.NextTimerAsync());
        Assert.False(reading.IsCompleted);
        groq.Time.Advance(TimeSpan.FromSeconds(20));

        string body = await reading;
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.Equal(1, groq.Emulator.Accounting.Get(groq.Key, "llama-3.1-8b-instant").Succeeded);
    }

    [Fact]
    public async Task Rules_PerModelAlways_EveryNth_Once()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();
        EmulatorFaultRule always = groq.Emulator.Faults.Always(new EmulatorFault(EmulatorFaultKind.ServiceUnavailable), "llama-3.3-70b-versatile");
        groq.Emulator.Faults.EveryNth(new EmulatorFault(EmulatorFaultKind.InternalServerError), 2, "llama-3.1-8b-instant");

        int[] statuses = new int[4];
        for (int i = 0; i < 4; i++)
        {
            statuses[i] = (int)(await groq.PostAsync(TestEmulator.Chat())).StatusCode;
        }

        Assert.Equal([200, 500, 200, 500], statuses);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile"))).StatusCode);
        Assert.True(groq.Emulator.Faults.Remove(always));
        Assert.Equal(HttpStatusCode.OK, (await groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile"))).StatusCode);

        groq.Emulator.Faults.Clear();
        groq.Emulator.Faults.Next(new EmulatorFault(EmulatorFaultKind.BadGateway));
        Assert.Equal(HttpStatusCode.BadGateway, (await groq.PostAsync(TestEmulator.Chat())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await groq.PostAsync(TestEmulator.Chat())).StatusCode);
        Assert.Empty(groq.Emulator.Faults.Rules);
    }

    [Fact]
    public async Task Rules_Probability_IsSeededAndDeterministic()
    {
        static async Task<string> RunAsync()
        {
            await using TestEmulator groq = await TestEmulator.StartAsync(o =>
            {
                o.Seed = 42;
                o.Faults.Add(EmulatorFaultRule.Parse("500;probability=0.5"));
            });
            var outcome = new System.Text.StringBuilder();
            for (int i = 0; i < 20; i++)
            {
                outcome.Append((int)(await groq.PostAsync(TestEmulator.Chat())).StatusCode == 500 ? 'x' : '.');
            }

            return outcome.ToString();
        }

        string first = await RunAsync();
        string second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains('x', first);
        Assert.Contains('.', first);
    }

    [Fact]
    public async Task InvalidFaultHeader_Returns400SayingWhatIsValid()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        (HttpResponseMessage response, string body) = await groq.PostForBodyAsync(TestEmulator.Chat(), "teapot");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("x-emulator-fault", body, StringComparison.Ordinal);
        Assert.Contains("error-event", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowFirstTokenFault_DelaysTheAnswerOnTheFakeClock()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync();

        Task<HttpResponseMessage> pending = groq.PostAsync(TestEmulator.Chat(), "slow-ttft;seconds=5");

        Assert.Equal(TimeSpan.FromSeconds(5), await groq.Time.AdvanceToNextTimerAsync());
        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        Assert.Equal(1, groq.Emulator.Accounting.FaultsSent[EmulatorFaultKind.SlowFirstToken]);
    }
}
