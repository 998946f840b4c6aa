using System.Net;
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
}
