using System.Diagnostics;

namespace SkGroq.Console.Bench;

/// <summary>
/// Watches the process while a load runs: CPU time, working set, garbage collections, and the thread pool — its threads,
/// its queue, and how late a periodic timer's callback runs (work waiting for a pool thread shows up as lag).
/// </summary>
/// <remarks>The whole process is measured, so an in-process emulator's own work is included.</remarks>
internal sealed class RuntimeSampler : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private readonly List<double> _lagsMs = [];
    private readonly List<long> _queueLengths = [];
    private readonly TimeSpan _cpuStart;
    private readonly long _workingSetStart;
    private readonly long _allocatedStart;
    private readonly int[] _collectionsStart;
    private readonly TimeSpan _pauseStart;
    private readonly long _completedWorkItemsStart;
    private readonly long _lockContentionsStart;
    private readonly long _start;
    private ITimer? _timer;
    private long _lastTick;
    private long _peakWorkingSet;
    private int _minThreads = int.MaxValue;
    private int _maxThreads;

    private RuntimeSampler(TimeProvider timeProvider, TimeSpan interval)
    {
        _timeProvider = timeProvider;
        _interval = interval;
        _cpuStart = CpuTime();
        _workingSetStart = Environment.WorkingSet;
        _peakWorkingSet = _workingSetStart;
        _allocatedStart = GC.GetTotalAllocatedBytes();
        _collectionsStart = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        _pauseStart = GC.GetTotalPauseDuration();
        _completedWorkItemsStart = ThreadPool.CompletedWorkItemCount;
        _lockContentionsStart = Monitor.LockContentionCount;
        _start = timeProvider.GetTimestamp();
        _lastTick = _start;
    }

    /// <summary>Starts sampling every <paramref name="interval"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="interval">The sampling period.</param>
    /// <returns>The running sampler; <see cref="Stop"/> it when the load has ended.</returns>
    public static RuntimeSampler Start(TimeProvider timeProvider, TimeSpan interval)
    {
        var sampler = new RuntimeSampler(timeProvider, interval);
        sampler._timer = timeProvider.CreateTimer(static s => ((RuntimeSampler)s!).Tick(), sampler, interval, interval);
        return sampler;
    }

    /// <summary>Stops sampling and summarises the run.</summary>
    /// <returns>CPU, memory, GC and thread-pool figures since <see cref="Start"/>.</returns>
    public RuntimeReport Stop()
    {
        _timer?.Dispose();
        Sample();
        TimeSpan elapsed = _timeProvider.GetElapsedTime(_start);
        lock (_gate)
        {
            double[] lags = [.. _lagsMs.Order()];
            long[] queue = [.. _queueLengths.Order()];
            ThreadPool.GetMinThreads(out int minWorkers, out _);
            return new RuntimeReport(
                Elapsed: elapsed,
                Cpu: CpuTime() - _cpuStart,
                WorkingSetBefore: _workingSetStart,
                PeakWorkingSet: _peakWorkingSet,
                AllocatedBytes: GC.GetTotalAllocatedBytes() - _allocatedStart,
                Gen0Collections: GC.CollectionCount(0) - _collectionsStart[0],
                Gen1Collections: GC.CollectionCount(1) - _collectionsStart[1],
                Gen2Collections: GC.CollectionCount(2) - _collectionsStart[2],
                GcPause: GC.GetTotalPauseDuration() - _pauseStart,
                MinWorkerThreads: minWorkers,
                ThreadsMin: _minThreads == int.MaxValue ? ThreadPool.ThreadCount : _minThreads,
                ThreadsMax: Math.Max(_maxThreads, ThreadPool.ThreadCount),
                QueueLengthP99: queue.Length == 0 ? 0 : queue[Percentiles.RankIndex(queue.Length, 0.99)],
                QueueLengthMax: queue.Length == 0 ? 0 : queue[^1],
                CompletedWorkItems: ThreadPool.CompletedWorkItemCount - _completedWorkItemsStart,
                LockContentions: Monitor.LockContentionCount - _lockContentionsStart,
                TimerLagP99Ms: lags.Length == 0 ? 0 : lags[Percentiles.RankIndex(lags.Length, 0.99)],
                TimerLagMaxMs: lags.Length == 0 ? 0 : lags[^1],
                Samples: lags.Length);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();

    private static TimeSpan CpuTime()
    {
        using Process process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private void Tick()
    {
        long now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            // A timer callback is a thread-pool work item: when it runs late, so does every other queued continuation.
            TimeSpan sinceLast = _timeProvider.GetElapsedTime(_lastTick, now);
            _lastTick = now;
            _lagsMs.Add(Math.Max(0, (sinceLast - _interval).TotalMilliseconds));
        }

        Sample();
    }

    private void Sample()
    {
        long workingSet = Environment.WorkingSet;
        int threads = ThreadPool.ThreadCount;
        long queued = ThreadPool.PendingWorkItemCount;
        lock (_gate)
        {
            _peakWorkingSet = Math.Max(_peakWorkingSet, workingSet);
            _minThreads = Math.Min(_minThreads, threads);
            _maxThreads = Math.Max(_maxThreads, threads);
            _queueLengths.Add(queued);
        }
    }
}
