using SkGroq.Emulator;

namespace SkGroq.Console.Hosting;

/// <summary>The built-in Groq emulator, started in-process on a random loopback port with realistic pacing.</summary>
internal sealed class EmbeddedEmulator : IAsyncDisposable
{
    private readonly GroqEmulator _emulator;

    private EmbeddedEmulator(GroqEmulator emulator) => _emulator = emulator;

    public Uri BaseUrl => _emulator.BaseUrl;

    public string ApiKey => _emulator.ApiKey;

    public GroqEmulator Server => _emulator;

    public static async Task<EmbeddedEmulator> StartAsync(CancellationToken cancellationToken)
        => new(await GroqEmulator.StartAsync(new GroqEmulatorOptions(), cancellationToken));

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
