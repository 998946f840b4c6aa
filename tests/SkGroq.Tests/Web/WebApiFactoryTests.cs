using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SkGroq.Emulator;
using SkGroq.Emulator.Scripting;
using SkGroq.Web;

namespace SkGroq.Tests.Web;

/// <summary>
/// The web host's API in process through <see cref="WebApplicationFactory{TEntryPoint}"/> (the host's own <c>Program</c>,
/// configured the way a deployment is), against the emulator on a loopback port: the frames of a plain answer, a cache
/// hit and a generated document. Disconnects and load run on real sockets in <see cref="WebHostTests"/>.
/// </summary>
public sealed class WebApiFactoryTests : IAsyncLifetime
{
    private const string Answer = "Twenty-eight days of paid vacation a year.";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "skgroq-webapi-" + Guid.NewGuid().ToString("N"));
    private GroqEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task PlainAnswer_DeltasThenUsageThenDone_FromTheHostsOwnProgram()
    {
        _emulator.Script.Always(ScriptedReply.Text(Answer));
        await using WebApplicationFactory<NewMessage> factory = Factory();
        using HttpClient http = factory.CreateClient();

        JsonElement info = await http.GetFromJsonAsync<JsonElement>("/api/info", Ct);
        List<(string Event, JsonElement Data)> events = await SendAsync(http, await NewConversationAsync(http), new { text = "How many vacation days do I get?" });

        Assert.False(info.GetProperty("emulator").GetBoolean(), "the configured Groq endpoint is used, not a built-in emulator");
        Assert.Equal(Answer, Text(events));
        Assert.Equal(["usage", "done"], events.Where(e => e.Event != "delta").Select(e => e.Event));
        Assert.False(events.Single(e => e.Event == "usage").Data.GetProperty("cached").GetBoolean());
        Assert.All(events, e => Assert.DoesNotContain(_emulator.ApiKey, e.Data.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task CacheHit_AStatusFrameSaysAnsweredFromCache_AndTheUsageFrameSaysCached()
    {
        _emulator.Script.Always(ScriptedReply.Text(Answer));
        await using WebApplicationFactory<NewMessage> factory = Factory(("Web:Cache", "Enabled"));
        using HttpClient http = factory.CreateClient();

        // Two new conversations asking the same first question send the same request: the second is served from the cache.
        List<(string Event, JsonElement Data)> first = await SendAsync(http, await NewConversationAsync(http), new { text = "How many vacation days do I get?" });
        List<(string Event, JsonElement Data)> second = await SendAsync(http, await NewConversationAsync(http), new { text = "How many vacation days do I get?" });

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
        _emulator.Script.WhenLastUserMessageContains("Audience: the board", ScriptedReply.Text("1. Why remote work\n2. What it costs"));
        _emulator.Script.Always(ScriptedReply.Text("the template's variables did not reach the prompt"));
        await using WebApplicationFactory<NewMessage> factory = Factory();
        using HttpClient http = factory.CreateClient();
        string id = await NewConversationAsync(http);

        JsonElement[] templates = (await http.GetFromJsonAsync<JsonElement[]>("/api/documents", Ct))!;
        List<(string Event, JsonElement Data)> events = await SendAsync(http, id, new
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
        await using WebApplicationFactory<NewMessage> factory = Factory();
        using HttpClient http = factory.CreateClient();
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

    private WebApplicationFactory<NewMessage> Factory(params (string Key, string Value)[] extra) => new WebApplicationFactory<NewMessage>().WithWebHostBuilder(builder =>
    {
        builder.UseSetting("Groq:ApiKey", _emulator.ApiKey);
        builder.UseSetting("Groq:BaseUrl", _emulator.BaseUrl.AbsoluteUri);
        builder.UseSetting("Groq:Usage:Persist", "false");
        builder.UseSetting("Web:Database", Path.Combine(_folder, "conversations.db"));
        builder.UseSetting("Web:KnowledgeBase", Path.Combine(_folder, "no-knowledge-base"));
        builder.UseSetting("Web:Plugins", Path.Combine(AppContext.BaseDirectory, "plugins"));
        foreach ((string key, string value) in extra)
        {
            builder.UseSetting(key, value);
        }
    });

    private static async Task<string> NewConversationAsync(HttpClient http)
        => (await (await http.PostAsJsonAsync("/api/conversations", new { }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;

    private static string Text(List<(string Event, JsonElement Data)> events)
        => string.Concat(events.Where(e => e.Event == "delta").Select(e => e.Data.GetProperty("text").GetString()));

    private static async Task<List<(string Event, JsonElement Data)>> SendAsync(HttpClient http, string id, object message)
    {
        using HttpResponseMessage response = await http.PostAsJsonAsync($"/api/conversations/{id}/messages", message, Ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return SseFrames.Parse(await response.Content.ReadAsStringAsync(Ct));
    }
}
