namespace SkGroq.Console.Bench;

/// <summary>What the process did while a load ran (see <see cref="RuntimeSampler"/>).</summary>
/// <param name="Elapsed">The sampled time.</param>
/// <param name="Cpu">CPU time the process used (user + system, all threads).</param>
/// <param name="WorkingSetBefore">The working set when sampling started, in bytes.</param>
/// <param name="PeakWorkingSet">The largest working set seen, in bytes.</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap, all threads.</param>
/// <param name="Gen0Collections">Generation 0 collections.</param>
/// <param name="Gen1Collections">Generation 1 collections.</param>
/// <param name="Gen2Collections">Generation 2 collections.</param>
/// <param name="GcPause">Time the runtime was paused for garbage collection.</param>
/// <param name="MinWorkerThreads">The thread pool's minimum worker threads (it adds threads slowly beyond this).</param>
/// <param name="ThreadsMin">The fewest pool threads seen.</param>
/// <param name="ThreadsMax">The most pool threads seen; growth far past the minimum means blocked threads.</param>
/// <param name="QueueLengthP99">The 99th percentile of the pool's queued work items over the samples.</param>
/// <param name="QueueLengthMax">The most queued work items seen.</param>
/// <param name="CompletedWorkItems">Work items the pool ran.</param>
/// <param name="LockContentions">Times a thread waited for a contended <see cref="Monitor"/> lock.</param>
/// <param name="TimerLagP99Ms">How late the sampling timer's callback ran, 99th percentile, in milliseconds.</param>
/// <param name="TimerLagMaxMs">How late it ran at worst.</param>
/// <param name="Samples">The number of timer ticks.</param>
internal sealed record RuntimeReport(
    TimeSpan Elapsed,
    TimeSpan Cpu,
    long WorkingSetBefore,
    long PeakWorkingSet,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    TimeSpan GcPause,
    int MinWorkerThreads,
    int ThreadsMin,
    int ThreadsMax,
    long QueueLengthP99,
    long QueueLengthMax,
    long CompletedWorkItems,
    long LockContentions,
    double TimerLagP99Ms,
    double TimerLagMaxMs,
    int Samples);
