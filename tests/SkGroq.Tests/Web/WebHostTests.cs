using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;
using SkGroq.Web;
using SkGroq.Web.Conversations;

namespace SkGroq.Tests.Web;

/// <summary>
/// The web chat host's API as a browser uses it, against the emulator on a loopback port, with a real SQLite file: in process
/// through <see cref="WebApplicationFactory{TEntryPoint}"/> (the host's own entry point, configured as a deployment is), and on Kestrel's sockets where a disconnect, the body limit and
/// load must be real.
/// </summary>
public sealed class WebHostTests : IAsyncLifetime
{
    private const string Answer = "Twenty-eight days of paid vacation a year.";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "skgroq-web-" + Guid.NewGuid().ToString("N"));
    private GroqEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, Ct);
        _emulator.Script.Always(ScriptedReply.Text(Answer));
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Message_StreamsDeltasThenUsageThenDone_AndTheConversationSurvivesARestart()
    {
        var cookies = new CookieContainer();
        string id;
        List<(string Event, JsonElement Data)> events;
        await using (Running host = await StartAsync())
        {
            using HttpClient http = host.Client(cookies);
            id = await NewConversationAsync(http);
            events = await SendAsync(http, id, "How many vacation days do I get?");
        }

        Assert.Equal(Answer, Text(events));
        Assert.Equal(["usage", "done"], events.Where(e => e.Event != "delta").Select(e => e.Event));
        JsonElement usage = events.Single(e => e.Event == "usage").Data;
        Assert.Equal(_emulator.Accounting.Get(_emulator.ApiKey, "llama-3.1-8b-instant").PromptTokens, usage.GetProperty("promptTokens").GetInt64());

        // A new process on the same database, the same browser (cookie): the conversation is there.
        await using Running restarted = await StartAsync();
        using HttpClient again = restarted.Client(cookies);
        JsonElement detail = await again.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}", Ct);
        Assert.Equal("How many vacation days do I get?", detail.GetProperty("conversation").GetProperty("title").GetString());
        Assert.Equal(["user", "assistant"], detail.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(Answer, detail.GetProperty("messages")[1].GetProperty("text").GetString());

        // Another browser sees none of it.
        using HttpClient stranger = restarted.Client(new CookieContainer());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/conversations/{id}", Ct)).StatusCode);
        Assert.Empty(await stranger.GetFromJsonAsync<JsonElement[]>("/api/conversations", Ct) ?? []);
    }

    [Fact]
    public async Task Stop_AbortsTheGroqCall_AndKeepsWhatArrivedMarkedCancelled()
    {
        // A slow stream (50 tokens/s): the browser stops it after the first words.
        await using GroqEmulator slow = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 50 }, Ct);
        slow.Script.Always(ScriptedReply.Text(string.Join(' ', Enumerable.Repeat("word", 400))));
        await using Running host = await StartAsync(emulator: slow, sockets: true);
        var cancelledStored = new TaskCompletionSource<StoredMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Store.Appended += (_, m) => { if (m.Role == "assistant") { cancelledStored.TrySetResult(m); } };
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{id}/messages") { Content = JsonContent.Create(new { text = "Write a lot." }) };
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token)))
        {
            while (await reader.ReadLineAsync(stop.Token) is { } line && !line.StartsWith("data:", StringComparison.Ordinal))
            {
            }

            await stop.CancelAsync();
        }

        StoredMessage stored = await cancelledStored.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal("cancelled", stored.Outcome);

        // The upstream request ended too: the emulator is answering nothing any more.
        Assert.True(SpinWait.SpinUntil(() => slow.InFlight == 0, TimeSpan.FromSeconds(10)), $"the emulator still answers {slow.InFlight} call(s)");
        Assert.StartsWith("word", stored.Text, StringComparison.Ordinal);
        Assert.True(stored.Text.Length < 400 * 5, "the answer was cut when the browser stopped");

        // The usage record says how it ended, with the tokens that arrived; the stored answer carries the same count.
        SkGroq.Usage.UsageRecord record = Assert.Single(await host.Services.GetRequiredService<SkGroq.Usage.IUsageLedger>().QueryAsync(cancellationToken: Ct));
        Assert.Equal((SkGroq.Usage.UsageOutcome.Incomplete, "cancelled"), (record.Outcome, record.ErrorKind));
        Assert.True(record.ReceivedCompletionTokens > 0, "the tokens received before the stop are counted: " + record);
        Assert.Equal(record.ReceivedCompletionTokens, stored.CompletionTokens);
        Assert.Equal(record.EstimatedPromptTokens, stored.PromptTokens);
    }

    [Fact]
    public async Task HostShutdown_CancelsARunningTurn_AndStoresWhatArrivedBeforeItEnds()
    {
        await using GroqEmulator slow = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 50 }, Ct);
        slow.Script.Always(ScriptedReply.Text(string.Join(' ', Enumerable.Repeat("word", 400))));
        Running host = await StartAsync(emulator: slow);
        StoredMessage? stored = null;
        host.Store.Appended += (_, m) => { if (m.Role == "assistant") { stored = m; } };
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{id}/messages") { Content = JsonContent.Create(new { text = "Write a lot." }) };
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        while (await reader.ReadLineAsync(Ct) is { } line && !line.StartsWith("data:", StringComparison.Ordinal))
        {
        }

        // The host stops while the answer streams: by the time it is gone, the turn has stored what arrived.
        await host.DisposeAsync();

        Assert.NotNull(stored);
        Assert.Equal("cancelled", stored.Outcome);
        Assert.StartsWith("word", stored.Text, StringComparison.Ordinal);
        Assert.True(SpinWait.SpinUntil(() => slow.InFlight == 0, TimeSpan.FromSeconds(10)), $"the emulator still answers {slow.InFlight} call(s)");
    }

    [Fact]
    public async Task TwoHundredSessions_AThirdDisconnectingMidAnswer_EveryRequestEndsWithItsUsageRecord()
    {
        const int Sessions = 200;
        // Limits lifted on both sides: this run is about every request ending, not about queueing.
        var options = new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 100 };
        options.Limits["llama-3.1-8b-instant"] = new SkGroq.Models.ModelLimits(1_000_000, 1_000_000, 1_000_000_000, 1_000_000_000);
        await using GroqEmulator fast = await GroqEmulator.StartAsync(options, Ct);
        fast.Script.Always(ScriptedReply.Text(string.Join(' ', Enumerable.Repeat("token", 400))));
        await using Running host = await StartAsync(emulator: fast, unlimited: true, sockets: true);
        int answered = 0, cancelled = 0, failed = 0;
        var allStored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Store.Appended += (_, m) =>
        {
            if (m.Role == "assistant" && m.Outcome != "ok")
            {
                Interlocked.Increment(ref m.Outcome == "cancelled" ? ref cancelled : ref failed);
            }

            if (m.Role == "assistant" && Interlocked.Increment(ref answered) == Sessions)
            {
                allStored.TrySetResult();
            }
        };

        await Parallel.ForAsync(0, Sessions, new ParallelOptions { MaxDegreeOfParallelism = Sessions, CancellationToken = Ct }, async (i, ct) =>
        {
            using HttpClient http = host.Client(new CookieContainer());
            string id = (await (await http.PostAsJsonAsync("/api/conversations", new { }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
            using var leave = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{id}/messages") { Content = JsonContent.Create(new { text = $"session {i}" }) };
            try
            {
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(leave.Token));
                while (await reader.ReadLineAsync(leave.Token) is { } line)
                {
                    if (i % 3 == 0 && line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        // Closing the tab: stop reading at once (lines already received would otherwise still be read).
                        await leave.CancelAsync();
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (leave.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                // This session closed its tab mid-answer.
            }
        });

        await allStored.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        Assert.True(SpinWait.SpinUntil(() => fast.InFlight == 0, TimeSpan.FromSeconds(10)), $"the emulator still answers {fast.InFlight} call(s)");
        IReadOnlyList<SkGroq.Usage.UsageSummary> usage = await host.Services.GetRequiredService<SkGroq.Usage.IUsageLedger>().SummarizeAsync(SkGroq.Usage.UsageGrouping.None, cancellationToken: Ct);
        Assert.Equal(Sessions, usage.Sum(u => u.Requests));
        Assert.Equal(Sessions, fast.Accounting.Get(fast.ApiKey, "llama-3.1-8b-instant").Requests);
        // Those that left were cut short (unless the answer beat their leaving); none failed.
        Assert.Equal(0, Volatile.Read(ref failed));
        Assert.InRange(Volatile.Read(ref cancelled), 1, (Sessions + 2) / 3);
    }

    [Fact]
    public async Task BadRequests_GetClearFourHundreds_AndTheKeyReachesNoPage()
    {
        await using Running host = await StartAsync(sockets: true);
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);

        HttpResponseMessage empty = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "  " }, Ct);
        HttpResponseMessage tooLong = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = new string('x', WebHost.MaxMessageLength + 1) }, Ct);
        HttpResponseMessage form = await http.PostAsync($"/api/conversations/{id}/messages", new FormUrlEncodedContent([new("text", "hi")]), Ct);
        HttpResponseMessage missing = await http.PostAsJsonAsync("/api/conversations/c_nope/messages", new { text = "hi" }, Ct);
        HttpResponseMessage huge = await http.PostAsync($"/api/conversations/{id}/messages", new StringContent(new string('x', 100_000), Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("The message is empty", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("the most is 8,000", await tooLong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        string info = await http.GetStringAsync("/api/info", Ct);
        string page = await http.GetStringAsync("/", Ct);
        string stream = string.Join('\n', (await SendAsync(http, id, "hi")).Select(e => e.Data.GetRawText()));
        Assert.Contains("…", info, StringComparison.Ordinal);
        Assert.All(new[] { info, page, stream }, text => Assert.DoesNotContain(_emulator.ApiKey, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RetriedAnswer_AStatusFrameComesFirst_AMidStreamGroqErrorIsAnErrorFrameThenDone()
    {
        _emulator.Faults.Next(SkGroq.Emulator.Faults.EmulatorFault.Parse("503"));
        await using Running host = await StartAsync();
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);

        List<(string Event, JsonElement Data)> retried = await SendAsync(http, id, "hi");
        _emulator.Faults.Next(SkGroq.Emulator.Faults.EmulatorFault.Parse("error-event;after=2;status=400"));
        List<(string Event, JsonElement Data)> failed = await SendAsync(http, id, "again");

        Assert.Equal("status", retried[0].Event);
        Assert.Equal("Retrying", retried[0].Data.GetProperty("phase").GetString());
        Assert.Equal(Answer, Text(retried));
        Assert.Equal(["usage", "done"], retried.Where(e => e.Event is "usage" or "done").Select(e => e.Event));
        Assert.Equal(["error", "done"], failed.Where(e => e.Event is not ("delta" or "status")).Select(e => e.Event));
        JsonElement error = failed.Single(e => e.Event == "error").Data;
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("kind").GetString()));
        Assert.DoesNotContain(" at ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeBaseMode_StreamsAnAnswerThenItsCheckedSourcesWithThePassages()
    {
        using SkGroq.Tests.KnowledgeBase.TempFolder kb = SkGroq.Tests.KnowledgeBase.KnowledgeBaseTestSupport.CopySamples();
        _emulator.Script.Clear();
        _emulator.Script.Always(ScriptedReply.Text("Birth parents get 16 weeks of paid leave [S1], see also [S9]."));
        await using Running host = await StartAsync(knowledgeBase: kb);
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);
        Assert.Equal("docs", (await http.GetFromJsonAsync<JsonElement>("/api/info", Ct)).GetProperty("knowledgeBase").GetString());

        List<(string Event, JsonElement Data)> events = await SendAsync(http, id, "Can I take time off to look after a newborn?", "kb");

        Assert.Equal(["sources", "usage", "done"], events.Where(e => e.Event is not ("delta" or "status")).Select(e => e.Event));
        JsonElement[] citations = events.Single(e => e.Event == "sources").Data.GetProperty("citations").EnumerateArray().ToArray();
        Assert.Equal(("S1", true, "parental-leave.md"), (citations[0].GetProperty("label").GetString(), citations[0].GetProperty("valid").GetBoolean(), citations[0].GetProperty("source").GetString()));
        Assert.StartsWith("parental-leave.md#L", citations[0].GetProperty("link").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(citations[0].GetProperty("passage").GetString()));
        Assert.Equal(("S9", false), (citations[1].GetProperty("label").GetString(), citations[1].GetProperty("valid").GetBoolean()));
        Assert.Equal(1, _emulator.Accounting.Get(_emulator.ApiKey, "llama-3.1-8b-instant").Requests);
    }

    [Fact]
    public async Task KnowledgeBaseMode_WithoutAKey_TheBuiltInEmulatorQuotesARetrievedPassageAndCitesIt()
    {
        using SkGroq.Tests.KnowledgeBase.TempFolder kb = SkGroq.Tests.KnowledgeBase.KnowledgeBaseTestSupport.CopySamples();
        (WebApplication app, GroqEmulator? own) = await WebHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Groq:ApiKey"] = string.Empty,
            ["Groq:BaseUrl"] = string.Empty,
            ["Groq:Usage:Persist"] = "false",
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Web:Database"] = Path.Combine(_folder, "conversations.db"),
            ["Web:KnowledgeBase"] = kb.Docs,
            ["Web:KnowledgeBaseIndex"] = kb.Index,
        }));
        Assert.NotNull(own);
        await using (own)
        await using (app)
        {
            await app.StartAsync(Ct);
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() })
            {
                BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()),
            };
            Assert.True((await http.GetFromJsonAsync<JsonElement>("/api/info", Ct)).GetProperty("emulator").GetBoolean());

            List<(string Event, JsonElement Data)> events = await SendAsync(http, await NewConversationAsync(http), "How much time off do I get when I have a baby?", "kb");
            await app.StopAsync(Ct);

            Assert.Equal("The knowledge base says: Birth parents receive 16 weeks of fully paid parental leave. [S1]", Text(events));
            JsonElement citation = Assert.Single(events.Single(e => e.Event == "sources").Data.GetProperty("citations").EnumerateArray());
            Assert.Equal(("S1", true, "parental-leave.md"), (citation.GetProperty("label").GetString(), citation.GetProperty("valid").GetBoolean(), citation.GetProperty("source").GetString()));
        }
    }

    [Fact]
    public async Task PortInUse_TheHostSaysWhatToDoInOneLineAndExitsOne()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        Directory.CreateDirectory(_folder);
        string url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await WebHost.RunAsync(
            ["--urls", url, "--Groq:ApiKey", _emulator.ApiKey, "--Groq:BaseUrl", _emulator.BaseUrl.AbsoluteUri, "--Groq:Usage:Persist", "false", "--Web:Database", Path.Combine(_folder, "conversations.db")],
            output,
            error);

        Assert.Equal(1, exit);
        Assert.Equal(
            $"Failed to bind to address {url}: address already in use. Another program (perhaps another SkGroq web host) listens there: stop it, or choose another address with --urls, e.g. --urls http://127.0.0.1:5081 (or Web:Urls).",
            error.ToString().Trim());
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task Fallback_AStatusFrameSaysWhichModelTookOver_AndTheUsageFrameNamesIt()
    {
        _emulator.Faults.Always(new SkGroq.Emulator.Faults.EmulatorFault(SkGroq.Emulator.Faults.EmulatorFaultKind.ServiceUnavailable), model: "llama-3.1-8b-instant");
        await using Running host = await StartAsync(extra: new()
        {
            ["Groq:Fallbacks:llama-3.1-8b-instant"] = "llama-3.3-70b-versatile",
            ["Groq:Resilience:MaxRetryAttempts"] = "0",
        });
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);

        List<(string Event, JsonElement Data)> events = await SendAsync(http, id, "hi");

        (string Event, JsonElement Data) status = events.First(e => e.Event == "status");
        Assert.Equal("FallingBack", status.Data.GetProperty("phase").GetString());
        Assert.Contains("llama-3.3-70b-versatile", status.Data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("llama-3.3-70b-versatile", events.Single(e => e.Event == "usage").Data.GetProperty("model").GetString());
        Assert.Equal("done", events[^1].Event);
    }

    [Fact]
    public async Task QueuedAnswer_AStatusFrameSaysWhatItWaitsFor_BeforeAnyText()
    {
        // One request a minute, and a deadline long enough to wait for the next minute's (else the request falls back at once).
        await using Running host = await StartAsync(extra: new() { ["Groq:Models:llama-3.1-8b-instant:RequestsPerMinute"] = "1", ["Groq:RequestTimeout"] = "00:02:00" });
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);
        await SendAsync(http, id, "the one request of this minute");

        using var leave = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{id}/messages") { Content = JsonContent.Create(new { text = "a second one" }) };
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, leave.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(leave.Token));
        string? first = await reader.ReadLineAsync(leave.Token);
        string? data = await reader.ReadLineAsync(leave.Token);
        await leave.CancelAsync();

        Assert.Equal("event: status", first);
        JsonElement status = JsonDocument.Parse(data!["data:".Length..]).RootElement;
        Assert.Equal("Queued", status.GetProperty("phase").GetString());
        Assert.Contains("requests/minute", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessToken_WhenConfigured_IsRequiredForTheApi()
    {
        await using Running host = await StartAsync(accessToken: "s3cret-token");
        using HttpClient http = host.Client(new CookieContainer());

        HttpResponseMessage refused = await http.GetAsync("/api/conversations", Ct);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-token");
        HttpResponseMessage allowed = await http.GetAsync("/api/conversations", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("needs an access token", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task PlainAnswer_DeltasThenUsageThenDone_FromTheHostsOwnProgram()
    {
        await using Running host = await StartAsync();
        using HttpClient http = host.Client(new CookieContainer());

        JsonElement info = await http.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        List<(string Event, JsonElement Data)> events = await SendAsync(http, await NewConversationAsync(http), "How many vacation days do I get?");

        Assert.False(info.GetProperty("emulator").GetBoolean(), "the configured Groq endpoint is used, not a built-in emulator");
        Assert.Equal(Answer, Text(events));
        Assert.Equal(["usage", "done"], events.Where(e => e.Event != "delta").Select(e => e.Event));
        Assert.False(events.Single(e => e.Event == "usage").Data.GetProperty("cached").GetBoolean());
        Assert.All(events, e => Assert.DoesNotContain(_emulator.ApiKey, e.Data.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task CacheHit_AStatusFrameSaysAnsweredFromCache_AndTheUsageFrameSaysCached()
    {
        await using Running host = await StartAsync(extra: new() { ["Web:Cache"] = "Enabled" });
        using HttpClient http = host.Client(new CookieContainer());

        // Two new conversations asking the same first question send the same request: the second is served from the cache.
        List<(string Event, JsonElement Data)> first = await SendAsync(http, await NewConversationAsync(http), "How many vacation days do I get?");
        List<(string Event, JsonElement Data)> second = await SendAsync(http, await NewConversationAsync(http), "How many vacation days do I get?");

        Assert.DoesNotContain(first, e => e.Event == "status");
        Assert.Equal("status", second[0].Event);
        Assert.Equal("CacheHit", second[0].Data.GetProperty("phase").GetString());
        Assert.Equal(Answer, Text(second));
        Assert.True(second.Single(e => e.Event == "usage").Data.GetProperty("cached").GetBoolean());
        Assert.Equal("done", second[^1].Event);
        Assert.Equal(1, _emulator.Accounting.Get(_emulator.ApiKey, "llama-3.1-8b-instant").Requests);
    }

    [Fact]
    public async Task DocumentMode_ListsThePromptFunctions_AndStreamsOneFilledWithItsVariables()
    {
        _emulator.Script.Clear();
        _emulator.Script.WhenLastUserMessageContains("Audience: the board", ScriptedReply.Text("1. Why remote work\n2. What it costs"));
        _emulator.Script.Always(ScriptedReply.Text("the template's variables did not reach the prompt"));
        await using Running host = await StartAsync();
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);

        JsonElement[] templates = (await http.GetFromJsonAsync<JsonElement[]>("/api/documents", Ct))!;
        List<(string Event, JsonElement Data)> events = await SendMessageAsync(http, id, new
        {
            text = "Remote work for the support team",
            mode = "document",
            function = "DocumentGeneration.Outline",
            variables = new Dictionary<string, string> { ["audience"] = "the board", ["document_type"] = "proposal" },
        });

        JsonElement outline = templates.Single(t => t.GetProperty("name").GetString() == "DocumentGeneration.Outline");
        Assert.Contains(outline.GetProperty("variables").EnumerateArray(), v => v.GetProperty("name").GetString() == "audience" && v.GetProperty("default").GetString() == "engineers new to the topic");
        Assert.Equal("1. Why remote work\n2. What it costs", Text(events));
        Assert.Equal(["usage", "done"], events.Where(e => e.Event != "delta").Select(e => e.Event));
        Assert.Equal(_emulator.Accounting.Get(_emulator.ApiKey, "llama-3.1-8b-instant").CompletionTokens, events.Single(e => e.Event == "usage").Data.GetProperty("completionTokens").GetInt64());
        JsonElement stored = await http.GetFromJsonAsync<JsonElement>($"/api/conversations/{id}", Ct);
        Assert.Equal("DocumentGeneration.Outline: Remote work for the support team", stored.GetProperty("messages")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task DocumentMode_AnUnknownTemplateOrVariable_IsAClearFourHundred_AndNothingIsSent()
    {
        await using Running host = await StartAsync();
        using HttpClient http = host.Client(new CookieContainer());
        string id = await NewConversationAsync(http);

        HttpResponseMessage unknownTemplate = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "x", mode = "document", function = "DocumentGeneration.Poem" }, Ct);
        HttpResponseMessage unknownVariable = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "x", mode = "document", function = "DocumentGeneration.Summarize", variables = new { rhyme = "yes" } }, Ct);
        HttpResponseMessage unknownMode = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "x", mode = "poem" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, unknownTemplate.StatusCode);
        Assert.Contains("There is no document template 'DocumentGeneration.Poem'. Pick one of DocumentGeneration.DraftFromNotes, DocumentGeneration.Outline", await unknownTemplate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownVariable.StatusCode);
        Assert.Contains("has no variable 'rhyme' to fill here; its variables are audience, max_sentences", await unknownVariable.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknownMode.StatusCode);
        Assert.Contains("not one of chat, kb or document", await unknownMode.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, _emulator.Accounting.Get(_emulator.ApiKey, "llama-3.1-8b-instant").Requests);
    }

    private static Task<List<(string Event, JsonElement Data)>> SendAsync(HttpClient http, string id, string text, string mode = "chat")
        => SendMessageAsync(http, id, new { text, mode });

    private static async Task<List<(string Event, JsonElement Data)>> SendMessageAsync(HttpClient http, string id, object message)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", message, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return SseFrames.Parse(await response.Content.ReadAsStringAsync(Ct));
    }

    private static async Task<string> NewConversationAsync(HttpClient http)
        => (await (await http.PostAsJsonAsync("/api/conversations", new { }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

    private static string Text(List<(string Event, JsonElement Data)> events)
        => string.Concat(events.Where(e => e.Event == "delta").Select(e => e.Data.GetProperty("text").GetString()));

    /// <summary>
    /// Starts the host: in process through <see cref="WebApplicationFactory{TEntryPoint}"/> (the host's own entry point), or with
    /// <paramref name="sockets"/> on Kestrel at a loopback port, where a client's disconnect and Kestrel's body limit are real.
    /// </summary>
    private async Task<Running> StartAsync(string? accessToken = null, GroqEmulator? emulator = null, SkGroq.Tests.KnowledgeBase.TempFolder? knowledgeBase = null, bool unlimited = false, Dictionary<string, string?>? extra = null, bool sockets = false)
    {
        emulator ??= _emulator;
        var settings = new Dictionary<string, string?>
        {
            ["Groq:ApiKey"] = emulator.ApiKey,
            ["Groq:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            ["Groq:Usage:Persist"] = "false",
            ["Groq:Resilience:BaseDelay"] = "1ms",
            ["Web:Database"] = Path.Combine(_folder, "conversations.db"),
            ["Web:AccessToken"] = accessToken,
            ["Web:KnowledgeBase"] = knowledgeBase?.Docs ?? Path.Combine(_folder, "no-knowledge-base"),
            ["Web:KnowledgeBaseIndex"] = knowledgeBase?.Index,
            ["Web:Plugins"] = Path.Combine(AppContext.BaseDirectory, "plugins"),
            ["Groq:Models:llama-3.1-8b-instant:RequestsPerMinute"] = unlimited ? "1000000" : null,
            ["Groq:Models:llama-3.1-8b-instant:RequestsPerDay"] = unlimited ? "1000000" : null,
            ["Groq:Models:llama-3.1-8b-instant:TokensPerMinute"] = unlimited ? "1000000000" : null,
            ["Groq:Models:llama-3.1-8b-instant:TokensPerDay"] = unlimited ? "1000000000" : null,
        };
        foreach ((string key, string? value) in extra ?? [])
        {
            settings[key] = value;
        }

        if (!sockets)
        {
            WebApplicationFactory<NewMessage> factory = new WebApplicationFactory<NewMessage>().WithWebHostBuilder(builder =>
            {
                foreach ((string key, string? value) in settings.Where(static s => s.Value is not null))
                {
                    builder.UseSetting(key, value);
                }
            });
            return new Running(factory, factory.Services, cookies => factory.CreateDefaultClient(new CookieHandler(cookies)));
        }

        settings["Web:Urls"] = "http://127.0.0.1:0";
        (WebApplication app, GroqEmulator? own) = await WebHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(settings));
        Assert.Null(own);
        await app.StartAsync(Ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // A browser-like client: a response left unread closes its connection instead of being drained for reuse.
        return new Running(app, app.Services, cookies => new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, MaxResponseDrainSize = 0 }) { BaseAddress = address });
    }

    private sealed class Running(IAsyncDisposable host, IServiceProvider services, Func<CookieContainer, HttpClient> client) : IAsyncDisposable
    {
        public ConversationStore Store => services.GetRequiredService<ConversationStore>();

        public IServiceProvider Services => services;

        public HttpClient Client(CookieContainer cookies) => client(cookies);

        public async ValueTask DisposeAsync()
        {
            if (host is WebApplication app)
            {
                await app.StopAsync(CancellationToken.None);
            }

            await host.DisposeAsync();
        }
    }

    /// <summary>Keeps a browser's cookies across the in-process clients of one or more hosts.</summary>
    private sealed class CookieHandler(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (cookies.GetCookieHeader(request.RequestUri!) is { Length: > 0 } header)
            {
                request.Headers.Add("Cookie", header);
            }

            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set))
            {
                foreach (string cookie in set)
                {
                    cookies.SetCookies(request.RequestUri!, cookie);
                }
            }

            return response;
        }
    }
}
