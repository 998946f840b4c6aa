using System.Net;
using System.Text;
using System.Text.Json;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Tests.Emulator;

/// <summary>Time to first token and tokens/s pacing run on the configured TimeProvider (here a fake clock the test moves).</summary>
public sealed class PacingTests
{
    [Fact]
    public async Task Stream_HeadersAndFirstChunkWaitForTheTimeToFirstToken()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.TimeToFirstToken = TimeSpan.FromMilliseconds(100));

        Task<HttpResponseMessage> pending = groq.PostAsync(TestEmulator.Chat(extra: "\"stream\":true"), completion: HttpCompletionOption.ResponseHeadersRead);
        TimeSpan due = await groq.Time.NextTimerAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(100), due);
        Assert.False(pending.IsCompleted);
        groq.Time.Advance(due);
        HttpResponseMessage response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)] // Timers run on a coarser clock and may fire a fraction of a millisecond early.
    public async Task Stream_FirstContentChunkIsSentWhenTheTimeToFirstTokenTimerFires(int timersFireEarlyByMs)
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.TimeToFirstToken = TimeSpan.FromMilliseconds(100);
            o.TokensPerSecond = 10;
            o.PacingInterval = TimeSpan.FromMilliseconds(50);
        });
        groq.Time.TimersFireEarlyBy = TimeSpan.FromMilliseconds(timersFireEarlyByMs);
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three"));

        Task<HttpResponseMessage> pending = groq.PostAsync(TestEmulator.Chat(extra: "\"stream\":true"), completion: HttpCompletionOption.ResponseHeadersRead);
        TimeSpan firstToken = await groq.Time.AdvanceToNextTimerAsync();
        HttpResponseMessage response = await pending;

        // The server now waits for the second token (due at 200 ms); the first one must already be on the wire, without the
        // clock moving — also when the clock read 99 ms as the timer fired (a regression then waited a whole pacing interval,
        // adding 20 ms to every real time to first token).
        TimeSpan next = await groq.Time.NextTimerAsync();
        Stream body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);

        // A bounded wait on the real clock only turns a regression (first token held back) into a failure instead of a hang.
        string received = await ReadUntilAsync(body, "\"content\":\"one\"").WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Equal(TimeSpan.FromMilliseconds(100) - groq.Time.TimersFireEarlyBy, firstToken);
        Assert.DoesNotContain("\"content\":\" two\"", received, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMilliseconds(200) - firstToken - groq.Time.TimersFireEarlyBy, next);
    }

    [Fact]
    public async Task Stream_TokensArriveAtTheConfiguredRate()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.TokensPerSecond = 10;
            o.PacingInterval = TimeSpan.FromMilliseconds(50);
        });
        groq.Emulator.Script.Always(ScriptedReply.Text("one two three four five six seven eight nine ten"));

        HttpResponseMessage response = await groq.PostAsync(TestEmulator.Chat(extra: "\"stream\":true"), completion: HttpCompletionOption.ResponseHeadersRead);
        Task<string> reading = response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        TimeSpan waited = TimeSpan.Zero;
        while (true)
        {
            Task<TimeSpan> timer = groq.Time.NextTimerAsync().AsTask();
            if (await Task.WhenAny(reading, timer) == reading)
            {
                break;
            }

            TimeSpan due = await timer;
            waited += due;
            groq.Time.Advance(due);
        }

        string body = await reading;
        using var finish = JsonDocument.Parse(SseFrame.Parse(body)[^2].Data);
        int completion = finish.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();

        // Ten words, then the end-of-turn token: (10 + 1) tokens at 10 tokens/s.
        Assert.Equal(11, completion);
        Assert.Equal(TimeSpan.FromSeconds(completion / 10.0), waited);
    }

    [Fact]
    public async Task Json_WaitsTimeToFirstTokenPlusGenerationTimeOnce()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.TimeToFirstToken = TimeSpan.FromMilliseconds(100);
            o.TokensPerSecond = 500;
        });
        groq.Emulator.Script.Always(ScriptedReply.Text("The capital of France is Paris."));

        Task<HttpResponseMessage> pending = groq.PostAsync(TestEmulator.Chat("llama-3.3-70b-versatile"));
        TimeSpan due = await groq.Time.AdvanceToNextTimerAsync();

        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(100) + TimeSpan.FromSeconds(8 / 500.0), due);
    }

    private static async Task<string> ReadUntilAsync(Stream body, string expected)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!text.ToString().Contains(expected, StringComparison.Ordinal))
        {
            int read = await body.ReadAsync(buffer, TestContext.Current.CancellationToken);
            Assert.NotEqual(0, read);
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
