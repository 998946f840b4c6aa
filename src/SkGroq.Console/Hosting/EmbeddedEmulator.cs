using SkGroq.Emulator;
using SkGroq.Emulator.Faults;
using SkGroq.Emulator.Scripting;

namespace SkGroq.Console.Hosting;

/// <summary>The built-in Groq emulator, started in-process on a random loopback port with realistic pacing.</summary>
internal sealed class EmbeddedEmulator : IAsyncDisposable
{
    private readonly GroqEmulator _emulator;

    private EmbeddedEmulator(GroqEmulator emulator) => _emulator = emulator;

    public Uri BaseUrl => _emulator.BaseUrl;

    public string ApiKey => _emulator.ApiKey;

    public GroqEmulator Server => _emulator;

    public static async Task<EmbeddedEmulator> StartAsync(IReadOnlyList<EmulatorFaultRule> faults, CancellationToken cancellationToken)
    {
        var options = new GroqEmulatorOptions();
        foreach (EmulatorFaultRule fault in faults)
        {
            options.Faults.Add(fault);
        }

        GroqEmulator emulator = await GroqEmulator.StartAsync(options, cancellationToken);
        KnowledgeBaseStandIn.AddTo(emulator.Script);
        return new(emulator);
    }

    /// <summary>Parses the <c>--emulator-fault</c> rules, or says what is wrong with one.</summary>
    /// <exception cref="HarnessUsageException">A rule is not valid.</exception>
    public static IReadOnlyList<EmulatorFaultRule> ParseFaults(IReadOnlyList<string>? rules)
    {
        var parsed = new List<EmulatorFaultRule>();
        foreach (string rule in rules ?? [])
        {
            try
            {
                parsed.Add(EmulatorFaultRule.Parse(rule));
            }
            catch (FormatException ex)
            {
                throw new HarnessUsageException($"--emulator-fault: {ex.Message}");
            }
        }

        return parsed;
    }

    public ValueTask DisposeAsync() => _emulator.DisposeAsync();
}
