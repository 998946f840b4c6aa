namespace SkGroq.Tests.Reliability;

/// <summary>
/// Tests that count process-wide events (<see cref="TaskScheduler.UnobservedTaskException"/>) or load the machine: they run
/// alone, after the parallel tests, so nothing else's abandoned task is blamed on them.
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
