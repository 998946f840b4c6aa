namespace SkGroq.Console.Bench;

/// <summary>Thread-pool health during a load run: signs of starvation are threads far beyond the minimum, a long queue, and late timer callbacks.</summary>
/// <param name="MinWorkerThreads">The pool's minimum worker threads (by default the processor count).</param>
/// <param name="ThreadsMax">The most pool threads seen.</param>
/// <param name="QueueLengthP99">Queued work items, 99th percentile of the samples.</param>
/// <param name="QueueLengthMax">The most queued work items seen.</param>
/// <param name="TimerLagP99Ms">How late a periodic timer callback ran, 99th percentile, in milliseconds.</param>
/// <param name="TimerLagMaxMs">How late it ran at worst, in milliseconds.</param>
/// <param name="CompletedWorkItems">Work items the pool ran.</param>
/// <param name="LockContentions">Contended lock acquisitions.</param>
internal sealed record ThreadPoolReport(
    int MinWorkerThreads,
    int ThreadsMax,
    long QueueLengthP99,
    long QueueLengthMax,
    double TimerLagP99Ms,
    double TimerLagMaxMs,
    long CompletedWorkItems,
    long LockContentions);
