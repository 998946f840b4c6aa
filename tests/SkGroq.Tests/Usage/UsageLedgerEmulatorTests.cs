using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Configuration;
using SkGroq.Emulator.Accounting;
using SkGroq.Errors;
using SkGroq.Tests.Emulator;
using SkGroq.Usage;

namespace SkGroq.Tests.Usage;

/// <summary>The usage ledger against the real emulator: what the ledger adds up is what the emulator billed.</summary>
public sealed class UsageLedgerEmulatorTests
{
    private const string Model = "llama-3.1-8b-instant";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MixedRun_LedgerTotalsEqualTheEmulatorsAccountingExactly()
    {
        var emulatorLog = new SignalingLoggerFactory();
        await using TestEmulator groq = await TestEmulator.StartAsync(o =>
        {
            o.EnforceRateLimits = false;
            o.LoggerFactory = emulatorLog;
        });
        var ledger = new RecordingLedger();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IUsageLedger>(ledger);
        services.AddGroq(o =>
        {
            o.BaseUrl = groq.Emulator.BaseUrl.ToString();
            o.ApiKey = groq.Key;
            o.Usage.Persist = false;

            // One attempt per call, so the emulator's request count is the ledger's (retries are counted in UsageRecord.Attempts).
            o.Resilience.MaxRetryAttempts = 0;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);
        int calls = 0;

        // Whole answers: JSON, and streams with and without the include_usage chunk.
        foreach (string question in (string[])["What is 2+2?", "Name a colour.", "Write a haiku about the sea, please."])
        {
            using HttpResponseMessage response = await SendAsync(http, Body(question, stream: false));
            await response.Content.ReadAsStringAsync(Ct);
            calls++;
        }

        foreach (bool includeUsage in (bool[])[false, true, false, true])
        {
            using HttpResponseMessage response = await SendAsync(http, Body("Tell me a story in four sentences.", stream: true, includeUsage));
            string body = await response.Content.ReadAsStringAsync(Ct);
            Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
            calls++;
        }

        // Streams that end early: Groq's three error forms, and a disconnect once the client has read part of the answer.
        foreach (string fault in (string[])["error-event;after=2;status=503", "error-data;after=1;status=500", "x-groq-error;after=3"])
        {
            using HttpResponseMessage response = await SendAsync(http, Body("Tell me a long story.", stream: true, includeUsage: true), fault);
            Exception? failure = await Record.ExceptionAsync(() => response.Content.ReadAsStringAsync(Ct));
            Assert.True(failure is GroqStreamInterruptedException, failure?.ToString());
            calls++;
        }

        using (HttpResponseMessage response = await SendAsync(http, Body("Tell me a long story.", stream: true), "disconnect;after=2;ms=1000"))
        {
            Stream body = await response.Content.ReadAsStreamAsync(Ct);
            await ReadUntilAsync(body, "data: ", count: 3);
            await groq.Time.AdvanceToNextTimerAsync();
            await Assert.ThrowsAsync<GroqStreamInterruptedException>(() => body.CopyToAsync(Stream.Null, Ct));
            calls++;
        }

        // A stream the caller cancels, and one it abandons, while the emulator stalls.
        using (HttpResponseMessage response = await SendAsync(http, Body("Count to twenty.", stream: true, includeUsage: true), "stall;after=2;seconds=600"))
        {
            Stream body = await response.Content.ReadAsStreamAsync(Ct);
            await ReadUntilAsync(body, "data: ", count: 3);
            using var cancel = new CancellationTokenSource();
            ValueTask<int> stalled = body.ReadAsync(new byte[4096], cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stalled);
            calls++;
        }

        using (HttpResponseMessage response = await SendAsync(http, Body("Count to thirty.", stream: true), "stall;after=2;seconds=600"))
        {
            await ReadUntilAsync(await response.Content.ReadAsStreamAsync(Ct), "data: ", count: 3);
            calls++;
        }

        // Failures before any answer.
        foreach (string fault in (string[])["500", "503"])
        {
            await Assert.ThrowsAnyAsync<GroqException>(() => SendAsync(http, Body("Hello?", stream: false), fault));
            calls++;
        }

        for (int i = 0; i < calls; i++)
        {
            await ledger.NextAsync();
        }

        await emulatorLog.WaitForAsync("StreamIncomplete", 6);
        EmulatorUsage billed = groq.Emulator.Accounting.Get(groq.Key, Model);

        // The same records, written to and read back from SQLite, then added up as the usage command will.
        await using var persisted = new UsageLedger(new SqliteUsageStore(":memory:"), 100, 100);
        foreach (UsageRecord record in ledger.Records)
        {
            persisted.Record(record);
        }

        UsageSummary totals = Assert.Single(await persisted.SummarizeAsync(UsageGrouping.None, cancellationToken: Ct));
        Assert.Equal(calls, ledger.Records.Count);
        Assert.Equal(billed.Requests, totals.Requests);
        Assert.Equal(billed.Succeeded, totals.Succeeded);
        Assert.Equal(billed.Incomplete, totals.Incomplete);
        Assert.Equal(billed.PromptTokens, totals.PromptTokens);
        Assert.Equal(billed.CompletionTokens, totals.CompletionTokens);
        Assert.Equal((7L, 6L, 2L), (totals.Succeeded, totals.Incomplete, totals.Failed));
        Assert.True(totals.PromptTokens > 0 && totals.CompletionTokens > 0);
        Assert.Equal(((totals.PromptTokens * 0.05m) + (totals.CompletionTokens * 0.08m)) / 1_000_000m, totals.KnownCost);

        // Incomplete streams report no usage, so their cost is unknown — never a silent 0.
        Assert.Null(totals.Cost);
        Assert.Equal(6, totals.UnknownCostRequests);
        Assert.All(ledger.Records, r => Assert.DoesNotContain(groq.Key, r.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SemanticKernel_JsonAndStream_OneOkRecordEachWithTheEmulatorsUsage()
    {
        await using TestEmulator groq = await TestEmulator.StartAsync(o => o.EnforceRateLimits = false);
        var ledger = new RecordingLedger();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IUsageLedger>(ledger);
        services.AddGroq(o =>
        {
            o.BaseUrl = groq.Emulator.BaseUrl.ToString();
            o.ApiKey = groq.Key;
            o.Model = Model;
            o.Usage.Persist = false;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IChatCompletionService chat = provider.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage("What is the capital of France?");

        ChatMessageContent answer = await chat.GetChatMessageContentAsync(history, cancellationToken: Ct);
        var streamed = new StringBuilder();
        await foreach (StreamingChatMessageContent chunk in chat.GetStreamingChatMessageContentsAsync(history, cancellationToken: Ct))
        {
            streamed.Append(chunk.Content);
        }

        UsageRecord json = await ledger.NextAsync();
        UsageRecord stream = await ledger.NextAsync();
        EmulatorUsage billed = groq.Emulator.Accounting.Get(groq.Key, Model);
        Assert.False(string.IsNullOrEmpty(answer.Content));
        Assert.False(json.Streaming);
        Assert.True(stream.Streaming);
        Assert.Equal(streamed.ToString().Length > 0, stream.CompletionChunks > 0);

        // The SDK stops reading at [DONE] and disposes the response: that is a whole answer, not an abandoned one.
        Assert.All([json, stream], r => Assert.Equal(UsageOutcome.Ok, r.Outcome));
        Assert.Equal(billed.PromptTokens, json.Usage!.PromptTokens + stream.Usage!.PromptTokens);
        Assert.Equal(billed.CompletionTokens, json.Usage.CompletionTokens + stream.Usage.CompletionTokens);
        Assert.NotNull(stream.TimeToFirstToken);
        Assert.StartsWith("req_", stream.RequestId, StringComparison.Ordinal);
    }

    private static string Body(string question, bool stream, bool includeUsage = false)
        => $$"""{"model":"{{Model}}","messages":[{"role":"user","content":"{{question}}"}],"stream":{{(stream ? "true" : "false")}}{{(includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : string.Empty)}}}""";

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string body, string? fault = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        if (fault is not null)
        {
            request.Headers.Add("x-emulator-fault", fault);
        }

        return http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
    }

    private static async Task ReadUntilAsync(Stream body, string marker, int count)
    {
        var seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (CountOf(seen.ToString(), marker) < count)
        {
            int read = await body.ReadAsync(buffer, Ct);
            Assert.True(read > 0, "The stream ended before the expected chunks.");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    private static int CountOf(string text, string marker)
    {
        int count = 0;
        for (int at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
