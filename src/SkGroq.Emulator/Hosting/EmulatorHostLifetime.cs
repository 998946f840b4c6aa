namespace SkGroq.Emulator.Hosting;

/// <summary>A host lifetime that ignores Ctrl+C and SIGTERM: an in-process emulator stops when its owner disposes it, not when the owner's console is interrupted.</summary>
internal sealed class EmulatorHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
