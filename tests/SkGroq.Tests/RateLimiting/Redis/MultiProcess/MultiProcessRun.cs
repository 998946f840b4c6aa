using System.Globalization;

namespace SkGroq.Tests.RateLimiting.Redis.MultiProcess;

/// <summary>
/// Several workers run together: started until READY, released at once with GO, their lines aggregated (answers with their
/// time and tokens, failures by kind, log events per worker), conditions on that state awaited as signals, STOP and reports.
/// </summary>
internal sealed class MultiProcessRun : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<WorkerProcess> _workers = [];
    private readonly List<(long At, long Tokens)> _answers = [];
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _events = new(StringComparer.Ordinal);
    private readonly List<(Func<MultiProcessRun, bool> Condition, TaskCompletionSource Signal)> _waits = [];

    /// <summary>Gets when GO was sent (Unix ms).</summary>
    public long GoAt { get; private set; }

    /// <summary>Gets when the last answer arrived (Unix ms).</summary>
    public long LastAnswerAt { get; private set; }

    public int Answers
    {
        get
        {
            lock (_gate)
            {
                return _answers.Count;
            }
        }
    }

    public static async Task<MultiProcessRun> StartAsync(int count, Func<int, IEnumerable<string>> arguments, CancellationToken cancellationToken)
    {
        var run = new MultiProcessRun();
        for (int i = 0; i < count; i++)
        {
            run._workers.Add(WorkerProcess.Start($"w{i}", arguments(i), run.OnLine));
        }

        await Task.WhenAll(run._workers.Select(w => w.Ready)).WaitAsync(cancellationToken);
        return run;
    }

    public async Task GoAsync()
    {
        GoAt = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        await Task.WhenAll(_workers.Select(w => w.SendAsync("GO")));
    }

    /// <summary>Completes when the condition holds; it is checked now and after every line a worker writes.</summary>
    public Task WaitForAsync(Func<MultiProcessRun, bool> condition, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return Task.CompletedTask;
            }

            _waits.Add((condition, signal));
        }

        return signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends STOP, waits for every report and exit.</summary>
    public async Task<IReadOnlyList<(WorkerResult Report, int ExitCode, string Errors)>> StopAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_workers.Select(w => w.SendAsync("STOP")));
        var results = new List<(WorkerResult, int, string)>();
        foreach (WorkerProcess worker in _workers)
        {
            WorkerResult report = await worker.Report.WaitAsync(cancellationToken);
            (int exitCode, string errors) = await worker.ExitAsync(cancellationToken);
            results.Add((report, exitCode, errors));
        }

        return results;
    }

    /// <summary>Gets the answers (count and tokens) that arrived in [from, to) (Unix ms).</summary>
    public (int Count, long Tokens) AnswersBetween(long from, long to)
    {
        lock (_gate)
        {
            IEnumerable<(long At, long Tokens)> inside = _answers.Where(a => a.At >= from && a.At < to);
            return (inside.Count(), inside.Sum(a => a.Tokens));
        }
    }

    public Dictionary<string, int> Failures()
    {
        lock (_gate)
        {
            return new Dictionary<string, int>(_failures, StringComparer.Ordinal);
        }
    }

    /// <summary>Gets how many workers logged an event (by its EventName).</summary>
    public int WorkersWith(string eventName)
    {
        lock (_gate)
        {
            return _events.TryGetValue(eventName, out HashSet<string>? workers) ? workers.Count : 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (WorkerProcess worker in _workers)
        {
            await worker.DisposeAsync();
        }
    }

    private void OnLine(WorkerProcess worker, string line)
    {
        string[] parts = line.Split(' ', 3);
        List<TaskCompletionSource> fired = [];
        lock (_gate)
        {
            switch (parts[0])
            {
                case "OK":
                    long at = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    _answers.Add((at, long.Parse(parts[2], CultureInfo.InvariantCulture)));
                    LastAnswerAt = Math.Max(LastAnswerAt, at);
                    break;
                case "FAIL":
                    _failures[parts[1]] = _failures.GetValueOrDefault(parts[1]) + 1;
                    break;
                case "EVENT":
                    if (!_events.TryGetValue(parts[1], out HashSet<string>? workers))
                    {
                        _events[parts[1]] = workers = new HashSet<string>(StringComparer.Ordinal);
                    }

                    workers.Add(worker.Name);
                    break;
            }

            for (int i = _waits.Count - 1; i >= 0; i--)
            {
                if (_waits[i].Condition(this))
                {
                    fired.Add(_waits[i].Signal);
                    _waits.RemoveAt(i);
                }
            }
        }

        foreach (TaskCompletionSource signal in fired)
        {
            signal.TrySetResult();
        }
    }
}
