using System.Text;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;
using SkGroq.Errors;
using SkGroq.Usage;

namespace SkGroq.Tests.Resilience;

/// <summary>
/// Faults after HTTP 200 (the answer was already handed to the caller): never retried and never sent to a fallback model,
/// even with a fallback configured; the caller gets a typed exception with the text that had arrived.
/// </summary>
public sealed class MidStreamFaultTests
{
    private const string Model = ResilienceHarness.Primary;
    private const string Answer = "The capital of France is Paris.";

    [Theory]
    [InlineData("error-event;after=2;status=503", "Groq stopped the answer after 11 characters of text (service_unavailable): llama-3.3-70b-versatile is currently over capacity. Please try again and back off exponentially. Visit https://groqstatus.com to see if there is an active incident. This is usually temporary: ask again.")]
    [InlineData("error-data;after=2;status=500", "Groq stopped the answer after 11 characters of text (internal_server_error): Internal Server Error. This is usually temporary: ask again.")]
    [InlineData("error-event;after=2;status=400", "Groq stopped the answer after 11 characters of text (tool_use_failed): Tool choice is required, but model did not call a tool. The model's tool call failed validation; rephrase the request or check the tool's schema.")]
    public async Task ErrorFrame_AfterTokens_IsNotRetriedNorFallenBack(string fault, string message)
    {
        await using ResilienceHarness h = await StartAsync(fault);
        var received = new List<string>();

        RunResult<string> run = await h.StreamAsync(received: received);

        GroqStreamInterruptedException error = run.Fails<GroqStreamInterruptedException>();
        Assert.Equal(message, error.Message);
        Assert.Equal("The capital", error.PartialText.Trim());
        Assert.Equal(error.PartialText, string.Concat(received));
        Assert.NotNull(error.RequestId);
        AssertSentOnce(h);
        UsageRecord record = await h.Ledger.NextAsync();
        Assert.Equal(UsageOutcome.Incomplete, record.Outcome);
        Assert.Equal("stream_interrupted", record.ErrorKind);
        Assert.Null(record.FallbackReason);
    }

    [Fact]
    public async Task XGroqError_AfterTokens_IsNotRetriedNorFallenBack()
    {
        await using ResilienceHarness h = await StartAsync("x-groq-error;after=2");
        var received = new List<string>();

        RunResult<string> run = await h.StreamAsync(received: received);

        GroqStreamInterruptedException error = run.Fails<GroqStreamInterruptedException>();
        Assert.StartsWith("Groq stopped the answer after 11 characters of text: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("This is usually temporary: ask again.", error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Concat(received), error.PartialText);
        Assert.NotEmpty(received);
        AssertSentOnce(h);
    }

    [Fact]
    public async Task Disconnect_AfterTokens_IsNotRetriedNorFallenBack()
    {
        // The emulator waits 1.234 s (fake clock) after the second chunk before it cuts the connection, so the test can make
        // sure the two chunks reached the caller first: an abort right after a flush may lose them, which is a failure before
        // the headers (retried, then fallen back) rather than the mid-stream case this test is about.
        await using ResilienceHarness h = await StartAsync("disconnect;after=2;ms=1234");
        var received = new List<string>();
        var twoChunks = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<RunResult<string>> running = h.StreamAsync(received: received, onChunk: count =>
        {
            if (count == 2)
            {
                twoChunks.TrySetResult();
            }
        });
        await twoChunks.Task.WaitAsync(TestContext.Current.CancellationToken);
        await h.WaitForTimerAsync(TimeSpan.FromMilliseconds(1234), TestContext.Current.CancellationToken);
        h.Time.Advance(TimeSpan.FromMilliseconds(1234));
        RunResult<string> run = await running;

        GroqStreamInterruptedException error = run.Fails<GroqStreamInterruptedException>();
        Assert.StartsWith("The connection to Groq broke while model 'llama-3.3-70b-versatile' was streaming its answer, after 11 characters of text (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("). Ask again.", error.Message, StringComparison.Ordinal);
        Assert.Equal(string.Concat(received), error.PartialText);
        AssertSentOnce(h);
    }

    [Fact]
    public async Task Stall_AfterTokens_FailsAfterTheIdleTimeout_AndIsNotRetriedNorFallenBack()
    {
        // The raw client: the test issues the read itself, so it knows the read is pending when it moves the clock.
        await using ResilienceHarness h = await StartAsync("stall;after=2;ms=600000");
        using var content = new StringContent($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Hi"}],"stream":true}""", Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = content };
        using HttpResponseMessage response = await h.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Stream body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (CountContentChunks(seen.ToString()) < 2)
        {
            int read = await body.ReadAsync(buffer, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, read);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Task<int> stalled = body.ReadAsync(buffer, TestContext.Current.CancellationToken).AsTask();
        Assert.False(stalled.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(30));

        GroqTimeoutException error = await Assert.ThrowsAsync<GroqTimeoutException>(() => stalled);
        Assert.Equal(GroqTimeoutKind.StreamIdle, error.TimeoutKind);
        Assert.Equal("The capital", error.PartialText?.Trim());
        Assert.Equal(
            "Groq's stream for model 'llama-3.3-70b-versatile' stalled: nothing arrived for 30.0 s after 11 characters of text. Ask again; if long pauses are expected (large reasoning budgets), raise Groq:Inspection:StreamIdleTimeout.",
            error.Message);
        AssertSentOnce(h);
    }

    [Fact]
    public async Task ErrorFrame_BeforeAnyToken_IsStillNotRetried_BecauseTheResponseWasAlreadyHandedUp()
    {
        await using ResilienceHarness h = await StartAsync("error-event;after=0;status=503");

        RunResult<string> run = await h.StreamAsync();

        GroqStreamInterruptedException error = run.Fails<GroqStreamInterruptedException>();
        Assert.StartsWith("Groq stopped the answer before any text arrived (service_unavailable)", error.Message, StringComparison.Ordinal);
        AssertSentOnce(h);
    }

    private static async Task<ResilienceHarness> StartAsync(string fault)
    {
        ResilienceHarness h = await ResilienceHarness.StartAsync(o => o.Fallbacks[Model] = [ResilienceHarness.Secondary]);
        h.Emulator.Script.Always(ScriptedReply.Text(Answer));
        h.Emulator.Faults.Always(EmulatorFault.Parse(fault), Model);
        return h;
    }

    private static void AssertSentOnce(ResilienceHarness h)
    {
        Assert.Equal(1, h.Requests(Model));
        Assert.Equal(0, h.Requests(ResilienceHarness.Secondary));
        Assert.Single(h.Wire.Attempts);
    }

    private static int CountContentChunks(string sse)
    {
        int count = 0;
        foreach (string frame in sse.Split("\n\n"))
        {
            if (frame.Contains("\"content\":\"", StringComparison.Ordinal) && !frame.Contains("\"content\":\"\"", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
