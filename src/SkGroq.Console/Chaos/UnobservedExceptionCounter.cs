namespace SkGroq.Console.Chaos;

/// <summary>Counts <see cref="TaskScheduler.UnobservedTaskException"/> events while it is alive: faulted tasks nobody awaited.</summary>
/// <remarks>
/// The event is process-wide and raised by the finalizer, so <see cref="Collect"/> forces a full collection first: a task
/// abandoned during the run is reported before the count is read. Garbage from before the counter started is collected in
/// its constructor, so it is not blamed on the run.
/// </remarks>
internal sealed class UnobservedExceptionCounter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<string> _samples = [];
    private long _count;

    public UnobservedExceptionCounter()
    {
        Collect();
        TaskScheduler.UnobservedTaskException += OnUnobserved;
    }

    /// <summary>Gets the number of unobserved task exceptions so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Gets up to five of them, as type and message.</summary>
    public IReadOnlyList<string> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Runs finalizers of everything unreachable, so abandoned faulted tasks report now.</summary>
    public static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= OnUnobserved;

    private void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        Interlocked.Increment(ref _count);
        lock (_lock)
        {
            if (_samples.Count < 5)
            {
                Exception inner = e.Exception.InnerExceptions.Count == 1 ? e.Exception.InnerExceptions[0] : e.Exception;
                _samples.Add($"unobserved {inner.GetType().Name}: {inner.Message}");
            }
        }
    }
}
