using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkGroq.Configuration;
using SkGroq.Emulator;

namespace SkGroq.Tests.Integration;

/// <summary>The full SkGroq pipeline (AddGroq + Semantic Kernel) pointed at a real emulator on a loopback port, without pacing.</summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private PipelineHost(GroqEmulator emulator, ServiceProvider services)
    {
        Emulator = emulator;
        Services = services;
    }

    public GroqEmulator Emulator { get; }

    public ServiceProvider Services { get; }

    public IChatCompletionService Chat => Services.GetRequiredService<IChatCompletionService>();

    public HttpClient Http => Services.GetRequiredService<IHttpClientFactory>().CreateClient(GroqDefaults.HttpClientName);

    public Kernel Kernel => Services.GetRequiredService<Kernel>();

    public static async Task<PipelineHost> StartAsync(
        Action<GroqEmulatorOptions>? emulator = null,
        Action<GroqOptions>? groq = null,
        Action<IServiceCollection>? services = null)
    {
        var emulatorOptions = new GroqEmulatorOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 0 };
        emulator?.Invoke(emulatorOptions);
        GroqEmulator server = await GroqEmulator.StartAsync(emulatorOptions, TestContext.Current.CancellationToken);

        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddGroq(o =>
        {
            o.ApiKey = server.ApiKey;
            o.BaseUrl = server.BaseUrl.AbsoluteUri;
            o.Usage.Persist = false;

            // Failures surface as they are unless a test configures a fallback chain.
            o.Fallbacks.Clear();
            groq?.Invoke(o);
        });
        collection.AddKernel();
        services?.Invoke(collection);
        return new PipelineHost(server, collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
