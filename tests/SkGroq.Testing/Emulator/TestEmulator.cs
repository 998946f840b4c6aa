using System.Net.Http.Headers;
using System.Text;
using SkGroq.Emulator;

namespace SkGroq.Tests.Emulator;

/// <summary>A real emulator on a loopback port, driven by a fake clock (<see cref="SignalingTimeProvider"/>), with no pacing, plus a plain HttpClient.</summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    private TestEmulator(GroqEmulator emulator, SignalingTimeProvider time)
    {
        Emulator = emulator;
        Time = time;
        Http = new HttpClient { BaseAddress = new Uri(emulator.BaseUrl + "/") };
    }

    public GroqEmulator Emulator { get; }

    public SignalingTimeProvider Time { get; }

    public HttpClient Http { get; }

    public string Key => Emulator.ApiKey;

    public static async Task<TestEmulator> StartAsync(Action<GroqEmulatorOptions>? configure = null)
    {
        var time = new SignalingTimeProvider(new DateTimeOffset(2026, 9, 5, 12, 0, 0, TimeSpan.Zero));
        var options = new GroqEmulatorOptions
        {
            TimeProvider = time,
            TimeToFirstToken = TimeSpan.Zero,
            TokensPerSecond = 0,
        };
        configure?.Invoke(options);
        GroqEmulator emulator = await GroqEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        return new TestEmulator(emulator, time);
    }

    public static string Chat(string model = "llama-3.1-8b-instant", string user = "What is the capital of France?", string extra = "")
        => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{user}}"}]{{(extra.Length == 0 ? string.Empty : "," + extra)}}}""";

    public Task<HttpResponseMessage> PostAsync(string json, string? fault = null, string? key = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? Key);
        if (fault is not null)
        {
            request.Headers.Add("x-emulator-fault", fault);
        }

        return Http.SendAsync(request, completion, TestContext.Current.CancellationToken);
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostForBodyAsync(string json, string? fault = null, string? key = null)
    {
        HttpResponseMessage response = await PostAsync(json, fault, key);
        return (response, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
