namespace SkGroq.Console.Hosting;

/// <summary>The built-in Groq emulator, started in-process on a random loopback port.</summary>
internal sealed class EmbeddedEmulator : IAsyncDisposable
{
    private EmbeddedEmulator(Uri baseUrl, string apiKey)
    {
        BaseUrl = baseUrl;
        ApiKey = apiKey;
    }

    public Uri BaseUrl { get; }

    public string ApiKey { get; }

    public static Task<EmbeddedEmulator> StartAsync(CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        _ = new EmbeddedEmulator(new Uri("http://127.0.0.1/"), string.Empty);
        throw new HarnessUsageException("This build has no built-in emulator yet (it lands with issue 3). Set GROQ_API_KEY and GROQ_BASE_URL to a server.");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
