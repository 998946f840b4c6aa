namespace SkGroq.Web.Conversations;

/// <summary>
/// The turns that are still answering. A turn runs beside its response stream; when the host stops (after the server has
/// stopped taking requests) it cancels every turn still running and waits for each to store what arrived, marked cancelled:
/// no answer is lost and nothing writes to the database once the host is gone.
/// </summary>
internal sealed class RunningTurns(TimeProvider timeProvider) : IHostedService, IDisposable
{
    /// <summary>How long stopping waits for the cancelled turns to store their answers.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _running = [];
    private readonly Lock _gate = new();

    /// <summary>Starts <paramref name="turn"/> with a token cancelled when <paramref name="aborted"/> is or the host stops.</summary>
    public void Start(Func<CancellationToken, Task> turn, CancellationToken aborted)
    {
        lock (_gate)
        {
            var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
            Task running = Task.Run(() => turn(linked.Token), CancellationToken.None);
            _running.Add(running);
            _ = running.ContinueWith(
                t =>
                {
                    linked.Dispose();
                    lock (_gate)
                    {
                        _running.Remove(t);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Cancels every running turn and waits until each has stored its answer. A cancelled turn only writes one row, so this
    /// waits for it even when the host's shutdown timeout has passed (the server may have spent it draining requests), up to
    /// <see cref="Grace"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_gate)
        {
            _stopping.Cancel();
            running = [.. _running];
        }

        // A turn handles its own failures (it stores and reports them); only its end matters here.
        await Task.WhenAll(running).WaitAsync(Grace, timeProvider, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <inheritdoc/>
    public void Dispose() => _stopping.Dispose();
}
