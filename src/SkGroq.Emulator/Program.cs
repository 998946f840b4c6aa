using System.Runtime.InteropServices;
using SkGroq.Emulator;
using SkGroq.Emulator.Hosting;

// Standalone: dotnet run --project src/SkGroq.Emulator -- --port 8765
string? error = EmulatorCommandLine.TryParse(args, out GroqEmulatorOptions options, out bool help);
if (help)
{
    Console.WriteLine(EmulatorCommandLine.Usage);
    return 0;
}

if (error is not null)
{
    Console.Error.WriteLine(error);
    return 2;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

GroqEmulator emulator = await GroqEmulator.StartAsync(options).ConfigureAwait(false);
Console.WriteLine($"Groq emulator listening on {emulator.BaseUrl}");
Console.WriteLine($"  GROQ_BASE_URL={emulator.BaseUrl}");
foreach (string key in emulator.ApiKeys)
{
    // Emulator keys are fakes made for this process; printing them is the point.
    Console.WriteLine($"  GROQ_API_KEY={key}  (organization {emulator.GetOrganizationId(key)})");
}

Console.WriteLine($"  plan {options.Tier}, ttft {options.TimeToFirstToken.TotalMilliseconds} ms, {options.TokensPerSecond} tokens/s, rate limits {(options.EnforceRateLimits ? "on" : "off")}");
Console.WriteLine($"  control API {emulator.ControlUrl} ; Ctrl+C stops");
try
{
    await stop.Task.ConfigureAwait(false);
}
finally
{
    await emulator.DisposeAsync().ConfigureAwait(false);
    options.LoggerFactory?.Dispose();
}

return 0;
