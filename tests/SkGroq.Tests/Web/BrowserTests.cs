using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PuppeteerSharp;
using SkGroq.Emulator;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;
using SkGroq.Web;

namespace SkGroq.Tests.Web;

/// <summary>
/// The chat page in a real browser: Debian's chromium (installed by <c>.ci/run</c>) driven through PuppeteerSharp, which is
/// pointed at that executable and never downloads one. Skipped, saying why, only where chromium is absent and not in CI.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "skgroq-browser-" + Guid.NewGuid().ToString("N"));
    private GroqEmulator _emulator = null!;
    private WebApplication _app = null!;
    private IBrowser _browser = null!;
    private Uri _address = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), $"{Chromium} is missing in CI: .ci/run installs Debian's chromium.");
            Assert.Skip($"{Chromium} is not installed (sudo apt-get install -y chromium); the browser test needs it.");
        }

        // 40 tokens a second: an answer arrives over many separate DOM updates.
        _emulator = await GroqEmulator.StartAsync(new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.FromMilliseconds(50), TokensPerSecond = 40 }, Ct);
        (WebApplication app, _) = await WebHost.BuildAsync([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Groq:ApiKey"] = _emulator.ApiKey,
            ["Groq:BaseUrl"] = _emulator.BaseUrl.AbsoluteUri,
            ["Groq:Usage:Persist"] = "false",
            ["Web:Urls"] = "http://127.0.0.1:0",
            ["Web:Database"] = Path.Combine(_folder, "conversations.db"),
            ["Web:Plugins"] = Path.Combine(AppContext.BaseDirectory, "plugins"),
        }));
        _app = app;
        await _app.StartAsync(Ct);
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(_folder, "profile")}"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task TypeAQuestion_TheAnswerGrowsOverSeveralUpdates_ThenTheUsageLine_ThenStopAndAFault()
    {
        _emulator.Script.Always(ScriptedReply.Text(string.Join(' ', Enumerable.Range(1, 60).Select(i => $"word{i}"))));
        await using IPage page = await _browser.NewPageAsync();
        await page.GoToAsync(_address.AbsoluteUri);
        await page.WaitForSelectorAsync("#conversations");

        // Count every change of the answer's text, with the time it happened, until the usage line appears.
        await page.EvaluateExpressionAsync("""
            window.__updates = []; window.__sentAt = 0;
            new MutationObserver(() => {
              const answers = document.querySelectorAll('.message.assistant');
              const last = answers[answers.length - 1];
              if (last && last.textContent) window.__updates.push({ at: performance.now(), length: last.textContent.length });
            }).observe(document.getElementById('messages'), { childList: true, subtree: true, characterData: true });
            """);
        await page.TypeAsync("#text", "Tell me something long.");
        await page.EvaluateExpressionAsync("window.__sentAt = performance.now()");
        await page.ClickAsync("#send");
        await page.WaitForSelectorAsync(".usage", new WaitForSelectorOptions { Timeout = 30_000 });

        int updates = await page.EvaluateExpressionAsync<int>("new Set(window.__updates.map(u => u.length)).size");
        double ttft = await page.EvaluateExpressionAsync<double>("window.__updates[0].at - window.__sentAt");
        string answer = await page.EvaluateExpressionAsync<string>("document.querySelector('.message.assistant').textContent");
        string usage = await page.EvaluateExpressionAsync<string>("document.querySelector('.usage').textContent");
        Assert.True(updates >= 3, $"the answer grew over {updates} DOM updates");
        Assert.InRange(ttft, 0, 5_000);
        Assert.StartsWith("word1 word2", answer, StringComparison.Ordinal);
        Assert.EndsWith("word60", answer, StringComparison.Ordinal);
        Assert.Contains("tokens", usage, StringComparison.Ordinal);
        Assert.Contains("first token", usage, StringComparison.Ordinal);

        // In chat mode the document template row is not shown, and streaming scrolls the message list, never the page.
        Assert.Equal("none", await page.EvaluateExpressionAsync<string>("getComputedStyle(document.getElementById('template')).display"));
        Assert.Equal(0, await page.EvaluateExpressionAsync<double>("document.scrollingElement.scrollTop"));

        // Stop mid-answer: the page says so and the answer stops growing.
        _emulator.Script.Clear();
        _emulator.Script.Always(ScriptedReply.Text(string.Join(' ', Enumerable.Repeat("more", 400))));
        await page.TypeAsync("#text", "Another long one.");
        await page.ClickAsync("#send");
        await page.WaitForFunctionAsync("() => { const a = document.querySelectorAll('.message.assistant'); return a.length === 2 && a[1].textContent.length > 20; }");
        await page.ClickAsync("#stop");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.usage')].some(e => e.textContent === 'Stopped.')");
        int stoppedAt = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.message.assistant')[1].textContent.length");
        Assert.True(stoppedAt < 400 * 5, "the answer was cut by Stop");

        // An injected fault (a mid-stream error frame from Groq) shows as an error on the page, with the library's message.
        _emulator.Faults.Next(EmulatorFault.Parse("error-event;after=2;status=400"));
        await page.TypeAsync("#text", "And now a failure.");
        await page.ClickAsync("#send");
        await page.WaitForSelectorAsync(".error", new WaitForSelectorOptions { Timeout = 30_000 });
        string error = await page.EvaluateExpressionAsync<string>("document.querySelector('.error').textContent");
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.DoesNotContain(_emulator.ApiKey, await page.GetContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DocumentMode_PickATemplate_FillAVariable_TheDocumentStreamsIn()
    {
        _emulator.Script.WhenLastUserMessageContains("Audience: new hires", ScriptedReply.Text("1. Day one\n2. Week one\n3. Month one"));
        _emulator.Script.Always(ScriptedReply.Text("the variable did not reach the prompt"));
        await using IPage page = await _browser.NewPageAsync();
        await page.GoToAsync(_address.AbsoluteUri);
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#function option').length > 0");

        await page.SelectAsync("#mode", "document");
        await page.SelectAsync("#function", "DocumentGeneration.Outline");
        await page.WaitForSelectorAsync("#variables input[name=audience]");
        string placeholder = await page.EvaluateExpressionAsync<string>("document.querySelector('#variables input[name=audience]').placeholder");
        await page.TypeAsync("#variables input[name=audience]", "new hires");
        await page.TypeAsync("#text", "Onboarding in the support team");
        await page.ClickAsync("#send");
        await page.WaitForSelectorAsync(".usage", new WaitForSelectorOptions { Timeout = 30_000 });

        Assert.Equal("engineers new to the topic", placeholder);
        Assert.Equal("1. Day one\n2. Week one\n3. Month one", await page.EvaluateExpressionAsync<string>("document.querySelector('.message.assistant').textContent"));
        Assert.Equal("DocumentGeneration.Outline", await page.EvaluateExpressionAsync<string>("document.querySelector('#function').value"));
    }
}
