using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SkGroq.Web;

(WebApplication app, SkGroq.Emulator.GroqEmulator? emulator) = await WebHost.BuildAsync(args);
await using (emulator)
{
    await app.StartAsync();
    foreach (string address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"SkGroq web chat: open {address}");
    }

    if (emulator is not null)
    {
        Console.WriteLine("No GROQ_API_KEY configured: answers come from the built-in Groq emulator and are synthetic.");
    }

    await app.WaitForShutdownAsync();
}
