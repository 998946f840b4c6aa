namespace SkGroq.Tests.RateLimiting.Redis.MultiProcess;

/// <summary>The multi-process tests run alone: four worker processes and Redis share two cores, and their throughput is measured.</summary>
[CollectionDefinition(nameof(MultiProcessGroup), DisableParallelization = true)]
public sealed class MultiProcessGroup;
